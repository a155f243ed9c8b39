"""The head's own ladder: rungs with name, letter or not, months, informal channels; every change a
new version that measures already decided never follow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import AuditEntry
from sanctions import selectors, services
from sanctions.tests.conftest import mfa_client
from sanctions.tests.factories import approved_measure

pytestmark = pytest.mark.usefixtures("unscoped")


def rungs(*rows):
    data = {"rung-TOTAL_FORMS": "6", "rung-INITIAL_FORMS": "0", "rung-MIN_NUM_FORMS": "0", "rung-MAX_NUM_FORMS": "6"}
    for index, (code, name, kind, months, informal) in enumerate(rows):
        data |= {f"rung-{index}-code": code, f"rung-{index}-name": name, f"rung-{index}-kind": kind,
                 f"rung-{index}-active_months": str(months)}
        if informal:
            data[f"rung-{index}-informal"] = "on"
    return data


def edit_url(world):
    return reverse("sanctions:ladder_edit", kwargs={"institution": world.institution.slug})


def test_a_new_version_changes_the_next_proposal_and_never_a_decided_measure(world):
    head, humas = world.users["kepala"], world.users["humas"]
    decided = approved_measure(world.institution, humas=humas, head=head, subject_staff=world.budi)
    assert decided.level.ladder.version == 1 and decided.active_months == 6
    response = mfa_client(head).post(edit_url(world), {
        **rungs(("TL", "Teguran lisan", "verbal", 3, True), ("SP1", "Surat Peringatan Pertama", "letter", 6, True),
                ("SP2", "Surat Peringatan Kedua", "letter", 12, False), ("KELUAR", "Dikeluarkan dari grup", "removal", 6,
                                                                          False)),
        "change_note": "Teguran lisan lebih dulu, sesuai rapat dinas 3 Maret."})
    assert response.status_code == 302
    current = selectors.current_ladder(world.institution)
    assert current.version == 2 and [lvl.code for lvl in selectors.ladder_levels(current)] == ["TL", "SP1", "SP2", "KELUAR"]
    decided.refresh_from_db()
    assert decided.level.ladder.version == 1 and decided.level_code == "SP1" and decided.active_months == 6
    entry = AuditEntry.objects.get(action="sanctions.ladder.version_saved")
    assert entry.data["version"] == 2 and entry.data["levels"] == ["TL", "SP1", "SP2", "KELUAR"]
    page = mfa_client(head).get(reverse("sanctions:ladder", kwargs={"institution": world.institution.slug})).content.decode()
    assert "versi 2" in page and "Teguran lisan lebih dulu" in page and "Versi 1" in page


def test_a_proposal_says_which_version_it_follows(world):
    head, humas = world.users["kepala"], world.users["humas"]
    services.ladder_ensure(actor=None, institution=world.institution)  # the default, version 1
    services.ladder_save(actor=head, institution=world.institution, change_note="SP1 kini 3 bulan.",
                         levels=[{"code": "SP1", "name": "Surat Peringatan Pertama", "kind": "letter",
                                  "active_months": 3, "informal": True}])
    measure = approved_measure(world.institution, humas=humas, head=head, subject_staff=world.budi)
    assert measure.level.ladder.version == 2 and measure.active_months == 3
    page = mfa_client(humas).get(reverse("sanctions:report_detail", kwargs={
        "institution": world.institution.slug, "pk": measure.report_id})).content.decode()
    assert "mengikuti tangga sanksi versi 2" in page


@pytest.mark.parametrize(("rows", "message"), [
    ((("KELUAR", "Dikeluarkan dari grup", "removal", 6, False), ("SP1", "Surat Peringatan", "letter", 6, True)),
     "Hanya anak tangga terakhir"),
    ((("SP1", "Surat Peringatan", "letter", 6, True), ("SP1", "Surat Lain", "letter", 6, True)), "sama dengan"),
    ((("SP1", "Surat Peringatan", "letter", 30, True),), "1 sampai 24 bulan"),
    ((), "minimal satu anak tangga"),
])
def test_a_wrong_ladder_is_refused_saves_nothing_and_keeps_what_was_typed(world, rows, message):
    head = world.users["kepala"]
    before = selectors.current_ladder(world.institution)
    response = mfa_client(head).post(edit_url(world), {**rungs(*rows), "change_note": "Perubahan uji."})
    body = response.content.decode()
    assert response.status_code == 400 and message in body and 'value="Perubahan uji."' in body
    after = selectors.current_ladder(world.institution)
    assert (after.pk if after else None) == (before.pk if before else None)
    assert not AuditEntry.objects.filter(action="sanctions.ladder.version_saved").exists()


def test_humas_cannot_change_the_ladder(world):
    response = mfa_client(world.users["humas"]).post(edit_url(world), {
        **rungs(("SP1", "Surat Peringatan", "letter", 6, True)), "change_note": "Coba."})
    assert response.status_code == 403
