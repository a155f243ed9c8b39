import datetime

from sanctions.workdays import add_months, add_working_days, is_working_day, working_days_between

D = datetime.date


def test_weekends_public_holidays_and_collective_leave_are_not_working_days():
    assert not is_working_day(D(2025, 3, 31))  # Idul Fitri
    assert not is_working_day(D(2025, 4, 2))   # cuti bersama Idul Fitri
    assert not is_working_day(D(2025, 4, 5))   # Saturday
    assert not is_working_day(D(2024, 11, 27))  # Pilkada voting day
    assert is_working_day(D(2025, 4, 8))


def test_fourteen_working_days_around_idul_fitri_2025():
    assert add_working_days(D(2025, 3, 27), 1) == D(2025, 4, 8)
    assert add_working_days(D(2025, 3, 27), 14) == D(2025, 4, 28)
    assert working_days_between(D(2025, 3, 27), D(2025, 4, 28)) == 14


def test_an_ordinary_fortnight():
    assert add_working_days(D(2025, 10, 1), 14) == D(2025, 10, 21)
    assert working_days_between(D(2025, 10, 1), D(2025, 10, 1)) == 0


def test_months_clamp_to_the_end_of_the_month():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 1, 15), 6) == D(2025, 7, 15)
