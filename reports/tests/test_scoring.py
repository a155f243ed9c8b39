"""Totals, bands, disagreements and ranks, on plain values."""

from decimal import Decimal

from reports.scoring import BandSpec, CriterionSpec, band_for, competition_ranks, entry_result

BANDS = [BandSpec("Informatif", Decimal(90)), BandSpec("Menuju Informatif", Decimal(80)),
         BandSpec("Cukup Informatif", Decimal(60)), BandSpec("Kurang Informatif", Decimal(40)),
         BandSpec("Tidak Informatif", Decimal(0))]
K1, K2 = CriterionSpec(1, "K1", Decimal(40)), CriterionSpec(2, "K2", Decimal(60), "acknowledgement_share")


def result(scores, values=None, threshold=1):
    return entry_result([K1, K2], scores, values or {}, BANDS, 4, threshold)


def test_total_is_weight_times_score_over_the_highest_score():
    r = result({1: {10: 4}, 2: {10: 3}})
    assert r.total == Decimal("85.00")  # 40 × 4/4 + 60 × 3/4
    assert (r.band_label, r.band_index, r.complete) == ("Menuju Informatif", 1, True)


def test_bands_follow_the_komisi_informasi_bounds():
    assert band_for(Decimal(90), BANDS)[0] == "Informatif"
    assert band_for(Decimal("89.99"), BANDS)[0] == "Menuju Informatif"
    assert band_for(Decimal("59.99"), BANDS)[0] == "Kurang Informatif"
    assert band_for(Decimal("39.99"), BANDS)[0] == "Tidak Informatif"
    assert band_for(Decimal(0), BANDS)[0] == "Tidak Informatif"
    assert band_for(None, BANDS) == ("", None)


def test_two_assessors_are_averaged():
    r = result({1: {10: 4, 11: 3}, 2: {10: 2, 11: 2}})
    assert r.criteria[1].score == Decimal("3.50")
    assert r.total == Decimal("65.00")  # 40 × 3.5/4 + 60 × 2/4


def test_an_unscored_criterion_counts_zero_and_leaves_the_total_incomplete():
    r = result({1: {10: 4}})
    assert (r.total, r.complete, r.scored_count) == (Decimal("40.00"), False, 1)


def test_the_indicator_scores_a_criterion_no_assessor_scored():
    r = result({1: {10: 4}}, {"acknowledgement_share": Decimal(92)})
    assert (r.criteria[2].score, r.criteria[2].source) == (Decimal("4.00"), "indicator")
    assert r.total == Decimal("100.00") and r.complete
    # An assessor's score wins over the indicator.
    r = result({1: {10: 4}, 2: {10: 1}}, {"acknowledgement_share": Decimal(92)})
    assert (r.criteria[2].score, r.criteria[2].source, r.criteria[2].indicator_score) == (
        Decimal("1.00"), "assessors", Decimal("4.00"))


def test_disagreement_is_a_difference_above_the_threshold():
    r = result({1: {10: 4, 11: 2}, 2: {10: 3, 11: 2}}, threshold=1)
    assert r.criteria[1].disagreement and not r.criteria[2].disagreement
    assert r.disagreement_count == 1
    assert result({1: {10: 4, 11: 2}, 2: {10: 3}}, threshold=2).disagreement_count == 0


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks([Decimal(90), Decimal(85), Decimal(85), Decimal(70), None]) == [1, 2, 2, 4, None]
