"""Every tenant URL of the sanctions app, who may open it, and the objects it needs."""

from governance.models import RuleCategory
from sanctions import services
from sanctions.tests.factories import (
    StaffMemberFactory,
    approved_measure,
    ensure_code,
    group,
    join,
    level,
    png_bytes,
    proposed_measure,
    staff_for,
)
from tests.urlwalk import ALL_MEMBER_ROLES, UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = {"verify_letter"}

CASE_ROLES = frozenset({"kepala", "humas", "plt"})
TRIAGE = frozenset({"humas"})
HEAD = frozenset({"kepala", "plt"})
PARENT_HEAD = frozenset({"kepala", "plt"})
POST_OK = frozenset({302})


def objects(side) -> dict:
    inst = side.institution
    users = side.users
    humas, head = users["humas"], users["kepala"]
    ensure_code(inst)
    staff = {role: staff_for(user, inst) for role, user in users.items() if role != "penilai"}
    channel = group(inst, name=f"Grup Resmi {inst.slug}")
    join(channel, staff["pegawai"], role="admin")
    other = StaffMemberFactory(institution=inst, full_name="Rahmat Hidayat, S.Ag.")
    join(channel, other)

    # A report still to triage, and a confirmed one waiting for a proposal.
    from sanctions.tests.factories import confirmed_report, file_report

    open_report = file_report(inst, reporter=users["operator"], subject_staff=other, channel=channel)
    confirmed = confirmed_report(inst, humas=humas, subject_name="Nomor Tak Dikenal", channel=channel)
    referral = services.referral_create(actor=humas, report=confirmed, track="ethics", referred_to="Majelis Kode Etik",
                                        referred_on=inst.local_today())

    # The pegawai's own SP1 (letter signed by the head) and a proposal waiting for the head.
    own = approved_measure(inst, humas=humas, head=head, subject_staff=staff["pegawai"], channel=channel)
    waiting = proposed_measure(inst, humas=humas, subject_staff=other, channel=channel,
                               categories=(RuleCategory.ETIQUETTE,))

    # A removal (no letter): its objection is decided by the head; its task is for the group admins.
    removal = approved_measure(inst, humas=humas, head=head, subject_name="Anggota Luar", channel=channel, position=3)
    local_objection = services.objection_file(actor=humas, measure=removal, text="Bukan saya yang mengirim.")

    # A case about the head, decided by the parent's head: its objection goes back to them.
    head_case = proposed_measure(inst, humas=humas, subject_staff=staff["kepala"], channel=channel,
                                 categories=(RuleCategory.PORNOGRAPHY,), evidence=[("layar.png", png_bytes())])
    services.measure_approve(actor=side.parent_users["kepala"], measure=head_case, reason="Terbukti.", as_parent=True)
    escalated_objection = services.objection_file(actor=humas, measure=head_case, text="Gambar itu berita resmi.")

    # The head kept the pegawai's second measure on objection (the pegawai may appeal), and kept
    # another one whose appeal now waits for the parent's head.
    kept = approved_measure(inst, humas=humas, head=head, subject_staff=staff["pegawai"], channel=channel,
                            categories=(RuleCategory.POLITICS,))
    services.objection_decide(actor=head, objection=services.objection_file(actor=humas, measure=kept, text="Keliru."),
                              upheld=False, reason="Bukti cukup.")
    appealed = approved_measure(inst, humas=humas, head=head, subject_name="Anggota Kelima", channel=channel,
                                categories=(RuleCategory.POLITICS,))
    rejected = services.objection_decide(actor=head, upheld=False, reason="Bukti cukup.",
                                         objection=services.objection_file(actor=humas, measure=appealed, text="Keliru."))
    appeal = services.appeal_file(actor=humas, objection=rejected, text="Mohon ditinjau atasan.")

    # A case about the head: the parent's head decides it (the head never opens it).
    about_head = proposed_measure(inst, humas=humas, subject_staff=staff["kepala"], channel=channel)
    level(inst, 1)

    # The pegawai is asked to explain a confirmed report; another explanation was recorded with a file.
    pegawai_case = confirmed_report(inst, humas=humas, subject_staff=staff["pegawai"], channel=channel,
                                    categories=(RuleCategory.ETIQUETTE,))
    explained = confirmed_report(inst, humas=humas, subject_name="Anggota Ketiga", channel=channel)
    services.explanation_record(actor=humas, report=explained, how="paper", text="Surat pernyataan terlampir.",
                                upload=("pernyataan.png", png_bytes()))

    # A dismissed case the head put on legal hold.
    from sanctions.tests.factories import dismissed_report

    held = dismissed_report(inst, humas=humas, subject_name="Anggota Keenam", channel=channel)
    services.legal_hold_set(actor=head, report=held, reason="Pemeriksaan Inspektorat.")

    # Humas proposed new rungs; the head has not decided yet.
    ladder_proposal = services.ladder_propose(actor=humas, institution=inst, note="SP2 berlaku 12 bulan.", levels=[
        {"code": "SP1", "name": "Surat Peringatan Pertama", "kind": "letter", "active_months": 6, "informal": True},
        {"code": "SP2", "name": "Surat Peringatan Kedua", "kind": "letter", "active_months": 12, "informal": True}])

    return {
        "ladder_proposal": ladder_proposal,
        "held": held, "pegawai_case": pegawai_case, "explained": explained,
        "open_report": open_report, "confirmed": confirmed, "referral": referral, "own": own,
        "own_letter": own.letter, "waiting": waiting, "removal_task": removal.removal,
        "local_objection": local_objection, "escalated_objection": escalated_objection, "kept": kept,
        "appeal": appeal,
        "about_head": about_head, "escalated_evidence": head_case.report.evidence.first(), "humas_user": humas,
    }


CASES = [
    UrlCase("sanctions:report_create", roles=ALL_MEMBER_ROLES),
    UrlCase("sanctions:my_cases", roles=ALL_MEMBER_ROLES),
    UrlCase("sanctions:my_measure", roles=frozenset({"pegawai"}), kwargs=lambda o: {"pk": o["own"].pk}),
    UrlCase("sanctions:my_measure_acknowledge", roles=frozenset({"pegawai"}), method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["own"].pk}),
    UrlCase("sanctions:my_measure_object", roles=frozenset({"pegawai"}), method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["own"].pk}, data=lambda o: {"text": "Saya keberatan."}),
    UrlCase("sanctions:my_measure_appeal", roles=frozenset({"pegawai"}), method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["kept"].pk}, data=lambda o: {"text": "Saya mengajukan banding."}),
    UrlCase("sanctions:my_letter_pdf", roles=frozenset({"pegawai"}), kwargs=lambda o: {"pk": o["own"].pk}),
    UrlCase("sanctions:my_explanation", roles=frozenset({"pegawai"}),
            kwargs=lambda o: {"pk": o["pegawai_case"].pk}),
    UrlCase("sanctions:explanation_record", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["confirmed"].pk}, data=lambda o: {"hearing-how": "oral", "hearing-text": "Mengaku khilaf."}),
    UrlCase("sanctions:explanation_skip", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["confirmed"].pk}, data=lambda o: {"hearing-reason": "Tidak dapat dihubungi."}),
    UrlCase("sanctions:explanation_file", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["explained"].pk}),
    UrlCase("sanctions:queue", roles=CASE_ROLES),
    UrlCase("sanctions:queue_csv", roles=CASE_ROLES),
    UrlCase("sanctions:queue_xlsx", roles=CASE_ROLES),
    UrlCase("sanctions:queue_bulk", roles=TRIAGE, method="post", ok=POST_OK,
            data=lambda o: {"action": "start_review", "cases": [o["open_report"].pk]}),
    UrlCase("sanctions:case_dossier", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["waiting"].report_id}),
    UrlCase("sanctions:report_detail", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["open_report"].pk}),
    UrlCase("sanctions:report_start_review", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["open_report"].pk}),
    UrlCase("sanctions:report_assign", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["open_report"].pk}, data=lambda o: {"assignee": o["humas_user"].pk}),
    UrlCase("sanctions:report_note", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["open_report"].pk}, data=lambda o: {"text": "Cek ke admin grup."}),
    UrlCase("sanctions:report_decide", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["open_report"].pk}, data=lambda o: {"outcome": "dismiss", "reason": "Tidak terbukti."}),
    UrlCase("sanctions:report_hold", roles=HEAD, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["confirmed"].pk}, data=lambda o: {"reason": "Perkara di pengadilan."}),
    UrlCase("sanctions:report_release_hold", roles=HEAD, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["held"].pk}),
    UrlCase("sanctions:evidence_add", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["open_report"].pk}),
    UrlCase("sanctions:measure_propose", roles=TRIAGE, kwargs=lambda o: {"pk": o["confirmed"].pk}),
    UrlCase("sanctions:referral_create", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["confirmed"].pk}),
    UrlCase("sanctions:referral_outcome", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["referral"].pk}),
    # Evidence of the case about the head: Humas, the acting head and the parent's head see it; the head,
    # its subject, does not.
    UrlCase("sanctions:evidence_file", roles=frozenset({"humas", "plt"}), parent_roles=PARENT_HEAD,
            kwargs=lambda o: {"pk": o["escalated_evidence"].pk}),
    UrlCase("sanctions:measure_withdraw", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["waiting"].pk}, data=lambda o: {"reason": "Salah orang."}),
    UrlCase("sanctions:measure_delivery", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["own"].pk}),
    UrlCase("sanctions:objection_file_for", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["own"].pk}),
    UrlCase("sanctions:appeal_file_for", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["kept"].pk}, data=lambda o: {"text": "Banding atas nama pegawai."}),
    UrlCase("sanctions:letter_pdf", roles=CASE_ROLES, kwargs=lambda o: {"pk": o["own_letter"].pk}),
    UrlCase("sanctions:decisions", roles=HEAD),
    UrlCase("sanctions:measure_decide", roles=HEAD, kwargs=lambda o: {"pk": o["waiting"].pk}),
    UrlCase("sanctions:objection_decide", roles=HEAD, kwargs=lambda o: {"pk": o["local_objection"].pk}),
    UrlCase("sanctions:decisions_escalated", parent_roles=PARENT_HEAD),
    UrlCase("sanctions:measure_decide_escalated", parent_roles=PARENT_HEAD, kwargs=lambda o: {"pk": o["about_head"].pk}),
    UrlCase("sanctions:objection_decide_escalated", parent_roles=PARENT_HEAD,
            kwargs=lambda o: {"pk": o["escalated_objection"].pk}),
    # An appeal at an institution with a parent is heard above, on the parent's pages: the local
    # address (for the acting head of a top-level institution) is refused to everyone here.
    UrlCase("sanctions:appeal_decide", kwargs=lambda o: {"pk": o["appeal"].pk}),
    UrlCase("sanctions:appeal_decide_escalated", parent_roles=PARENT_HEAD, kwargs=lambda o: {"pk": o["appeal"].pk}),
    UrlCase("sanctions:removals", roles=ALL_MEMBER_ROLES),
    UrlCase("sanctions:removal_confirm", roles=frozenset({"humas", "pegawai"}),
            kwargs=lambda o: {"pk": o["removal_task"].pk}),
    UrlCase("sanctions:ladder", roles=CASE_ROLES),
    UrlCase("sanctions:ladder_edit", roles=HEAD, method="post", ok=frozenset({400})),
    UrlCase("sanctions:ladder_policy", roles=HEAD, method="post", ok=POST_OK,
            data=lambda o: {"referral_track": "ethics", "referral_working_days": "20", "remind_after_working_days": "5",
                              "hearing_working_days": "3", "removal_working_days": "3",
                              "informal": ["1", "2"]}),
    UrlCase("sanctions:ladder_propose", roles=TRIAGE, method="post", ok=frozenset({400})),
    UrlCase("sanctions:ladder_proposal_decide", roles=HEAD, method="post", ok=frozenset({400}),
            kwargs=lambda o: {"pk": o["ladder_proposal"].pk}),
    UrlCase("sanctions:ladder_proposal_withdraw", roles=TRIAGE, method="post", ok=POST_OK,
            kwargs=lambda o: {"pk": o["ladder_proposal"].pk}),
    UrlCase("sanctions:retention_policy", roles=HEAD),
    UrlCase("sanctions:retention_policy", roles=HEAD, method="post", ok=POST_OK,
            data=lambda o: {"case_years": "6", "export_days": "60"}),
]
