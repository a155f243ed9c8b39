"""The moderation statistics page: what each visitor sees, small counts hidden from above, nothing of
another tree, the date range in the URL, times to decision in working days, and the downloads."""

import csv
import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import Membership, Role
from governance.tests.factories import ElectionPeriodFactory, make_member
from reports import moderation
from sanctions import services as sanctions_services
from sanctions.tests.factories import file_report, publish_code
from sanctions.workdays import working_days_between

# A Monday in June 2025, 10.00 in Palembang (WIB).
NOW = datetime.datetime(2025, 6, 16, 3, 0, tzinfo=datetime.UTC)
SECRET_NAME = "Budi Rahasia Sekali"


def page(institution, name="statistics", **query):
    address = reverse(f"reports:{name}", kwargs={"institution": institution.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def at(moment):
    return time_machine.travel(moment, tick=False)


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def cell(response, key, row_label, column):
    """The cell of one row and column; a category with no case in the range has no column: 0."""
    found = table(response, key)
    columns = [str(c) for c in found.columns]
    if column not in columns:
        return 0
    index = columns.index(column)
    return next(row for row in found.rows if str(row[0]) == row_label)[index]


@pytest.fixture
def cases(world, unscoped):
    """MTs Satu: four hoax reports this month, one politics report; Kalsel: five hoax reports."""
    satu, kalsel = world.madrasahs[0], world.kalsel_madrasah
    Membership.objects.update(starts_on=datetime.date(2020, 1, 1))
    for institution in (satu, kalsel):
        publish_code(institution)
    with at(NOW):
        for _ in range(4):
            file_report(satu, reporter=world.humas[satu.slug], subject_name=SECRET_NAME)
        file_report(satu, reporter=world.humas[satu.slug], subject_name=SECRET_NAME, categories=("politics",))
        for _ in range(5):
            file_report(kalsel, reporter=world.humas[kalsel.slug], subject_name="Orang Kalsel")
    return satu


def test_the_head_sees_exact_counts_and_an_assessor_sees_small_ones_hidden(world, cases, as_user):
    satu = cases
    with at(NOW):
        head = as_user(world.kepala[satu.slug]).get(page(satu))
        humas = as_user(world.humas[satu.slug]).get(page(satu))
        assessor = as_user(world.penilai).get(page(satu))
    assert head.status_code == humas.status_code == assessor.status_code == 200
    hoax, politics = "Hoaks atau berita menyesatkan", "Politik dan netralitas pemilu"
    for response in (head, humas):
        assert cell(response, "categories", "Jun 2025", hoax) == 4
        assert cell(response, "categories", "Jun 2025", politics) == 1
        assert "Angka 1 atau 2" not in response.content.decode()
    # The assessor sees the institution from above: 4 stays, 1 becomes "< 3", in the page and the chart.
    assert cell(assessor, "categories", "Jun 2025", hoax) == 4
    assert cell(assessor, "categories", "Jun 2025", politics) == "< 3"
    body = assessor.content.decode()
    assert "&lt; 3" in body
    chart = table(assessor, "categories").chart
    politics_series = next(s for s in chart["series"] if s["label"] == politics)
    assert politics_series["data"][-1] is None
    # No name and no case text, for anyone.
    for response in (head, humas, assessor):
        text = response.content.decode()
        assert SECRET_NAME not in text and "pesan berantai" not in text


def test_a_parent_head_sees_the_subtree_with_small_counts_hidden_and_nothing_of_another_tree(world, cases, as_user):
    kanwil_head = make_member(world.sumsel, Role.HEAD)
    Membership.objects.update(starts_on=datetime.date(2020, 1, 1))
    with at(NOW):
        client = as_user(kanwil_head)
        own = client.get(page(world.sumsel))
        tree = client.get(page(world.sumsel, scope="tree"))
    assert own.context["subtree"] is False and tree.context["subtree"] is True
    hoax = "Hoaks atau berita menyesatkan"
    # The Kanwil itself has no report; its subtree has MTs Satu's four (and none of Kalsel's five).
    assert cell(own, "categories", "Jun 2025", hoax) == 0
    assert cell(tree, "categories", "Jun 2025", hoax) == 4
    assert cell(tree, "categories", "Jun 2025", "Politik dan netralitas pemilu") == "< 3"
    assert "Orang Kalsel" not in tree.content.decode() and SECRET_NAME not in tree.content.decode()
    # The switch keeps the choice in the URL of the downloads.
    assert "scope=tree" in tree.context["query"]
    # The empty own page says so and leads to the subtree, instead of a column of month names.
    own_page = own.content.decode()
    assert not table(own, "categories").rows and "Tidak ada laporan yang diajukan di instansi ini" in own_page
    assert "Tampilkan seluruh instansi di bawahnya" in own_page and "scope=tree" in own.context["tree_query"]
    assert tree.context["tree_query"] is None and "Tampilkan seluruh instansi di bawahnya" not in tree.content.decode()


def test_an_assessor_sees_the_whole_province_and_cannot_open_another_tree(world, cases, as_user):
    with at(NOW):
        sumsel = as_user(world.penilai).get(page(world.sumsel))
        other = as_user(world.kalsel_penilai).get(page(world.sumsel))
        kalsel = as_user(world.kalsel_penilai).get(page(world.kalsel))
        humas_elsewhere = as_user(world.humas[world.kalsel_madrasah.slug]).get(page(cases))
    assert sumsel.context["subtree"] is True  # an assessor starts with the subtree
    assert cell(sumsel, "categories", "Jun 2025", "Hoaks atau berita menyesatkan") == 4
    assert other.status_code == 404 and humas_elsewhere.status_code == 404
    assert cell(kalsel, "categories", "Jun 2025", "Hoaks atau berita menyesatkan") == 5
    assert cell(kalsel, "open", "Hingga 7 hari", "Kasus terbuka") == 5


def test_humas_cannot_widen_the_page_to_a_subtree(world, cases, as_user):
    kankemenag = world.kankemenag
    with at(NOW):
        response = as_user(world.humas[kankemenag.slug]).get(page(kankemenag, scope="tree"))
    assert response.status_code == 200 and response.context["subtree"] is False
    assert "scope" not in response.context["form"].fields
    assert cell(response, "categories", "Jun 2025", "Hoaks atau berita menyesatkan") == 0


def test_the_date_range_is_in_the_url_and_defaults_to_twelve_months(world, cases, as_user):
    satu = cases
    with at(NOW - datetime.timedelta(days=400)):
        file_report(satu, reporter=world.humas[satu.slug], subject_name=SECRET_NAME)
    client = as_user(world.kepala[satu.slug])
    with at(NOW):
        default = client.get(page(satu))
        longer = client.get(page(satu, start="2024-05-01", end="2025-06-30"))
        wrong = client.get(page(satu, start="2025-06-30", end="2025-01-01"))
    assert (default.context["start"], default.context["end"]) == (datetime.date(2024, 7, 1), datetime.date(2025, 6, 16))
    assert [row[0] for row in table(default, "categories").rows][0] == "Jul 2024"
    assert "Mei 2024" not in [row[0] for row in table(default, "categories").rows]
    assert cell(longer, "categories", "Mei 2024", "Hoaks atau berita menyesatkan") == 1
    # A start after the end: a clear message, what was typed kept, the default range shown.
    body = wrong.content.decode()
    assert wrong.status_code == 200 and "Tanggal mulai jatuh setelah tanggal akhir." in body
    assert 'value="2025-06-30"' in body and wrong.context["start"] == datetime.date(2024, 7, 1)


def test_time_to_decision_is_counted_in_working_days(world, cases, as_user):
    satu, humas = cases, world.humas[world.madrasahs[0].slug]
    filed = datetime.datetime(2025, 6, 13, 2, 0, tzinfo=datetime.UTC)  # Friday
    decided = [datetime.datetime(2025, 6, 13, 8, 0, tzinfo=datetime.UTC),   # the same day: 0
               datetime.datetime(2025, 6, 16, 2, 0, tzinfo=datetime.UTC),   # Monday: 1
               datetime.datetime(2025, 6, 18, 2, 0, tzinfo=datetime.UTC)]   # Wednesday: 3
    for moment in decided:
        with at(filed):
            report = file_report(satu, reporter=humas, subject_name=SECRET_NAME)
        with at(moment):
            sanctions_services.report_start_review(actor=humas, report=report)
            sanctions_services.report_confirm(actor=humas, report=report, reason="Terbukti.")
    with at(NOW + datetime.timedelta(days=3)):
        response = as_user(world.kepala[satu.slug]).get(page(satu))
    row = next(r for r in table(response, "decisions").rows if r[0] == "Jun 2025")
    assert row[1:4] == [3, 1, 2.6]  # three decisions, median 1, 90th percentile between 1 and 3


def test_working_days_and_percentiles_match_the_sanctions_calendar():
    start = datetime.date(2024, 12, 20)  # across Christmas, the new year and the Isra Mi'raj holiday
    pairs = [(start + datetime.timedelta(days=a), start + datetime.timedelta(days=a + b), 1)
             for a in range(0, 40, 3) for b in range(0, 25, 4)]
    histogram = Counter()
    for month_histogram in moderation.durations(pairs).values():
        histogram.update(month_histogram)
    assert histogram == Counter(working_days_between(a, b) for a, b, _ in pairs)
    assert moderation.percentile(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2.5
    assert moderation.percentile(Counter({5: 9, 50: 1}), 0.9) == 9.5
    assert moderation.percentile(Counter(), 0.5) is None


def test_downloads_hide_small_counts_and_write_formula_like_text_as_text(world, cases, as_user):
    ElectionPeriodFactory(name="=HYPERLINK(\"http://contoh.test\")", campaign_starts_on=datetime.date(2025, 5, 1),
                          campaign_ends_on=datetime.date(2025, 6, 10), quiet_starts_on=datetime.date(2025, 6, 11),
                          quiet_ends_on=datetime.date(2025, 6, 13), voting_day=datetime.date(2025, 6, 14))
    client = as_user(world.penilai)
    with at(NOW):
        csv_response = client.get(page(cases, "statistics_csv", table="categories"))
        xlsx_response = client.get(page(cases, "statistics_xlsx"))
        elections_csv = client.get(page(cases, "statistics_csv", table="elections"))
        unknown = client.get(page(cases, "statistics_csv", table="nama-pegawai"))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    header = rows[1]
    june = next(r for r in rows if r and r[0] == "Jun 2025")
    assert june[header.index("Hoaks atau berita menyesatkan")] == "4"
    assert june[header.index("Politik dan netralitas pemilu")] == "< 3"
    assert unknown.status_code == 404

    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert len(workbook.sheetnames) == len(moderation.TABLE_KEYS)
    sheet = workbook[workbook.sheetnames[0]]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    june = next(r for r in values if r[0] == "Jun 2025")
    assert 4 in june and "< 3" in june  # counts as numbers, hidden ones as text
    elections = workbook[workbook.sheetnames[-1]]
    names = [row[0] for row in elections.iter_rows() if row[0].value and "HYPERLINK" in str(row[0].value)]
    assert names and all(c.data_type == "s" and str(c.value).startswith("'=") for c in names)
    rows = {r[1]: r for r in csv.reader(io.StringIO(elections_csv.content.decode("utf-8-sig")))
            if len(r) > 1 and "HYPERLINK" in r[0]}
    assert all(r[0].startswith("'=") for r in rows.values())
    # The five reports of MTs Satu were filed two days after voting day; one of them about politics.
    assert (rows["Selama"][4], rows["Sesudah"][4], rows["Sesudah"][6]) == ("0", "5", "< 3")


def test_the_page_says_what_is_hidden_and_offers_downloads(world, cases, as_user):
    with at(NOW):
        body = as_user(world.penilai).get(page(world.sumsel)).content.decode()
    assert "Hanya angka" in body
    assert reverse("reports:statistics_xlsx", kwargs={"institution": world.sumsel.slug}) in body
    assert 'data-statistics="chart-categories"' in body and 'id="chart-categories"' in body
