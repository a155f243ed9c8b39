"""Humas proposes new rungs, the head (never the proposer) accepts or rejects them; and a last rung
that refers the case to the formal process instead of removing the person from the group."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import AuditEntry, Notification, Role
from governance.tests.factories import MembershipFactory, give_totp
from sanctions import selectors, services
from sanctions.models import LadderProposal, LadderProposalState, Referral, RemovalTask
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, proposed_measure
from sanctions.tests.test_ladder_editor import rungs

pytestmark = pytest.mark.usefixtures("unscoped")

NEW_RUNGS = (("TL", "Teguran lisan", "verbal", 3, True), ("SP1", "Surat Peringatan Pertama", "letter", 6, True),
             ("KELUAR", "Dikeluarkan dari grup", "removal", 6, False))
NEW_LEVELS = [{"code": c, "name": n, "kind": k, "active_months": m, "informal": i} for c, n, k, m, i in NEW_RUNGS]


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def propose(world, actor=None, levels=None, note="Teguran lisan dulu, sesuai rapat dinas."):
    return services.ladder_propose(actor=actor or world.users["humas"], institution=world.institution,
                                   levels=levels or NEW_LEVELS, note=note)


def test_a_humas_proposal_accepted_by_the_head_becomes_the_next_version_and_decided_measures_keep_theirs(world):
    head, humas = world.users["kepala"], world.users["humas"]
    decided = approved_measure(world.institution, humas=humas, head=head, subject_staff=world.budi)
    assert decided.level.ladder.version == 1
    response = plain_client(humas).post(url(world, "ladder_propose"), {
        **rungs(*NEW_RUNGS), "change_note": "Teguran lisan dulu, sesuai rapat dinas."})
    assert response.status_code == 302
    proposal = LadderProposal.objects.get()
    assert selectors.current_ladder(world.institution).version == 1  # nothing changes before the head decides
    assert Notification.objects.filter(recipient=head, kind="sanctions.ladder_proposed").exists()

    page = mfa_client(head).get(url(world, "ladder")).content.decode()
    assert "mengikuti versi 1" in page and "Teguran lisan" in page and "diubah" in page
    assert "Terima sebagai versi berikutnya" in page

    response = mfa_client(head).post(url(world, "ladder_proposal_decide", pk=proposal.pk), {
        f"p{proposal.pk}-decision": "accept", f"p{proposal.pk}-reason": ""})
    assert response.status_code == 302
    current = selectors.current_ladder(world.institution)
    assert current.version == 2 and [lvl.code for lvl in selectors.ladder_levels(current)] == ["TL", "SP1", "KELUAR"]
    assert f"Usulan #{proposal.pk}" in current.change_note and current.created_by == head
    decided.refresh_from_db()
    assert decided.level.ladder.version == 1 and decided.level_code == "SP1" and decided.active_months == 6
    proposal.refresh_from_db()
    assert proposal.state == LadderProposalState.ACCEPTED and proposal.result == current
    assert AuditEntry.objects.get(action="sanctions.ladder.version_saved", data__version=2).data["proposal"] == proposal.pk
    assert AuditEntry.objects.filter(action="sanctions.ladder.proposal_accepted").exists()
    assert Notification.objects.filter(recipient=humas, kind="sanctions.ladder_proposal_decided").exists()
    mine = plain_client(humas).get(url(world, "ladder")).content.decode()
    assert "Usulan yang sudah diputuskan" in mine and "Diterima" in mine


def test_the_proposer_never_accepts_their_own_proposal_even_as_acting_head(world):
    humas = world.users["humas"]
    MembershipFactory(user=humas, institution=world.institution, role=Role.ACTING)
    give_totp(humas)
    cache.clear()
    proposal = propose(world)
    with pytest.raises(ValidationError, match="Anda sendiri yang membuat usulan ini"):
        services.ladder_proposal_accept(actor=humas, proposal=proposal)
    page = mfa_client(humas).get(url(world, "ladder")).content.decode()
    assert "Terima sebagai versi berikutnya" not in page and "Tarik usulan saya" in page
    response = mfa_client(humas).post(url(world, "ladder_proposal_decide", pk=proposal.pk), {
        f"p{proposal.pk}-decision": "accept"})
    assert response.status_code == 400 and "Anda sendiri yang membuat usulan ini" in response.content.decode()
    assert selectors.current_ladder(world.institution).version == 1
    proposal.refresh_from_db()
    assert proposal.state == LadderProposalState.PROPOSED


def test_rejecting_needs_a_reason_and_the_proposer_reads_it(world):
    head, humas = world.users["kepala"], world.users["humas"]
    proposal = propose(world)
    decide = url(world, "ladder_proposal_decide", pk=proposal.pk)
    response = mfa_client(head).post(decide, {f"p{proposal.pk}-decision": "reject", f"p{proposal.pk}-reason": "  "})
    assert response.status_code == 400 and "Tulis alasan usulan ditolak" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == LadderProposalState.PROPOSED
    assert not AuditEntry.objects.filter(action="sanctions.ladder.proposal_rejected").exists()
    response = mfa_client(head).post(decide, {f"p{proposal.pk}-decision": "reject",
                                              f"p{proposal.pk}-reason": "Teguran lisan sudah ada di tata tertib lama."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == LadderProposalState.REJECTED and selectors.current_ladder(world.institution).version == 1
    page = plain_client(humas).get(url(world, "ladder")).content.decode()
    assert "Ditolak" in page and "Teguran lisan sudah ada di tata tertib lama." in page


def test_a_proposal_on_an_older_version_is_shown_as_such_and_cannot_be_accepted(world):
    head = world.users["kepala"]
    proposal = propose(world)
    services.ladder_save(actor=head, institution=world.institution, change_note="SP1 kini 3 bulan.",
                         levels=[{"code": "SP1", "name": "Surat Peringatan Pertama", "kind": "letter",
                                  "active_months": 3, "informal": True}])
    page = mfa_client(head).get(url(world, "ladder")).content.decode()
    assert "padahal yang berlaku sekarang versi 2" in page and "Tolak usulan" in page
    assert "Terima sebagai versi berikutnya" not in page
    with pytest.raises(ValidationError, match="tangga sanksi sudah berubah"):
        services.ladder_proposal_accept(actor=head, proposal=proposal)
    assert selectors.current_ladder(world.institution).version == 2


def test_only_the_proposer_withdraws_and_a_withdrawn_proposal_is_not_decided(world):
    head, humas = world.users["kepala"], world.users["humas"]
    proposal = propose(world)
    with pytest.raises(PermissionDenied):
        services.ladder_proposal_withdraw(actor=head, proposal=proposal)
    assert plain_client(humas).post(url(world, "ladder_proposal_withdraw", pk=proposal.pk)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == LadderProposalState.WITHDRAWN
    with pytest.raises(ValidationError, match="sudah diputuskan atau ditarik"):
        services.ladder_proposal_accept(actor=head, proposal=proposal)


def test_humas_cannot_save_rungs_and_a_wrong_proposal_is_refused_keeping_what_was_typed(world):
    humas = world.users["humas"]
    data = {**rungs(("RUJUK", "Dirujuk ke majelis kode etik", "referral", 6, False),
                    ("SP1", "Surat Peringatan Pertama", "letter", 6, True)), "change_note": "Rujuk lebih dulu."}
    assert plain_client(humas).post(url(world, "ladder_edit"), data).status_code == 403
    response = plain_client(humas).post(url(world, "ladder_propose"), data)
    body = response.content.decode()
    assert response.status_code == 400 and "Hanya anak tangga terakhir yang dapat merujuk" in body
    assert 'value="Rujuk lebih dulu."' in body and 'value="Dirujuk ke majelis kode etik"' in body
    assert not LadderProposal.objects.exists()


def test_referral_or_removal_in_the_middle_is_refused_by_the_head_editor(world):
    head = world.users["kepala"]
    for kind, message in (("referral", "Hanya anak tangga terakhir yang dapat merujuk"),
                          ("removal", "Hanya anak tangga terakhir yang dapat mengeluarkan")):
        response = mfa_client(head).post(url(world, "ladder_edit"), {
            **rungs(("AKHIR", "Tingkat akhir", kind, 6, False), ("SP1", "Surat Peringatan", "letter", 6, True)),
            "change_note": "Urutan salah."})
        assert response.status_code == 400 and message in response.content.decode()
        assert 'value="Urutan salah."' in response.content.decode()
    assert selectors.current_ladder(world.institution) is None


def test_a_measure_decided_at_a_referral_rung_opens_a_referral_instead_of_a_removal(world):
    head, humas = world.users["kepala"], world.users["humas"]
    services.ladder_ensure(actor=None, institution=world.institution)
    services.ladder_set_policy(actor=head, institution=world.institution, referral_only=False,
                               referral_to="Majelis Kode Etik Kemenag", referral_working_days=15)
    services.ladder_save(actor=head, institution=world.institution, change_note="Tingkat akhir dirujuk.", levels=[
        {"code": "SP1", "name": "Surat Peringatan Pertama", "kind": "letter", "active_months": 6, "informal": True},
        {"code": "RUJUK", "name": "Dirujuk ke majelis kode etik", "kind": "referral", "active_months": 6,
         "informal": True}])
    waiting = proposed_measure(world.institution, humas=humas, subject_staff=world.budi, channel=world.channel,
                               position=2)
    page = mfa_client(head).get(reverse("sanctions:measure_decide", kwargs={
        "institution": world.institution.slug, "pk": waiting.pk})).content.decode()
    assert "perkara dirujuk ke proses resmi" in page
    measure = services.measure_approve(actor=head, measure=waiting, reason="Pelanggaran berulang.")
    referral = Referral.objects.get(report=measure.report)
    assert referral.referred_to == "Majelis Kode Etik Kemenag" and referral.due_on > referral.referred_on
    assert "RUJUK" in referral.note
    assert not RemovalTask.objects.filter(measure=measure).exists() and not hasattr(measure, "letter_obj")
    assert AuditEntry.objects.filter(action="sanctions.referral.created", data__report=measure.report_id).exists()
