"""The head's audit view: filters by date, action, person and case, the same entries as CSV and as
JSON Lines with their hashes, and never the entries of a case about the visitor."""

from __future__ import annotations

import datetime
import json

import time_machine
from django.urls import reverse

from governance.models import AuditEntry
from sanctions.tests.conftest import mfa_client
from sanctions.tests.factories import approved_measure, file_report, staff_for


def url(world, name="audit_log", **query):
    address = reverse(f"governance:{name}", kwargs={"institution": world.institution.slug})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def entries(response) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


def shown(response) -> list[int]:
    return [entry.seq for entry in entries(response)]


def test_the_filters_narrow_the_entries_and_the_downloads_hold_the_same(world):
    inst, users = world.institution, world.users
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=inst.tzinfo)):
        early = file_report(inst, reporter=users["pegawai"], subject_staff=world.budi, channel=world.channel)
    measure = approved_measure(inst, humas=users["humas"], head=users["kepala"], subject_staff=world.budi,
                               channel=world.channel)
    case = measure.report
    head = mfa_client(users["kepala"])

    everything = head.get(url(world))
    assert everything.status_code == 200 and len(shown(everything)) > 3

    by_case = head.get(url(world, case=case.pk))
    of_case = entries(by_case)
    # the case's own rows: the report, its measure, its letter — never the other case
    assert {e.target_type for e in of_case} >= {"sanctions.violationreport", "sanctions.measure"}
    assert ("sanctions.violationreport", str(early.pk)) not in {(e.target_type, e.target_id) for e in of_case}
    assert "sanctions.measure.approved" in {e.action for e in of_case}

    by_action = head.get(url(world, action="sanctions.measure.approved"))
    assert {e.action for e in entries(by_action)} == {"sanctions.measure.approved"}

    by_person = head.get(url(world, actor=users["kepala"].pk))
    assert {e.actor_id for e in entries(by_person)} == {users["kepala"].pk}

    march = head.get(url(world, start="2026-03-01", end="2026-03-31"))
    assert {(e.target_type, e.target_id) for e in entries(march)} == {("sanctions.violationreport", str(early.pk))}

    csv_text = head.get(url(world, "audit_log_csv", case=case.pk)).content.decode("utf-8-sig")
    lines = csv_text.strip().split("\r\n")
    assert len(lines) == 1 + len(shown(by_case)) and "sanctions.measure.approved" in csv_text

    jsonl = head.get(url(world, "audit_log_jsonl", case=case.pk))
    assert jsonl["Content-Type"].startswith("application/jsonl") and jsonl["X-Content-Type-Options"] == "nosniff"
    rows = [json.loads(line) for line in jsonl.content.decode().splitlines()]
    assert [(row["seq"], row["hash"], row["prev_hash"]) for row in rows] == [(e.seq, e.hash, e.prev_hash)
                                                                               for e in of_case]


def test_a_bad_filter_is_explained_and_downloads_nothing(world):
    head = mfa_client(world.users["kepala"])
    page = head.get(url(world, start="2026-05-01", end="2026-04-01"))
    body = page.content.decode()
    assert "Tanggal mulai jatuh setelah tanggal akhir" in body and 'value="2026-05-01"' in body
    assert head.get(url(world, case="abc")).content.decode().count("Masukkan nomor kasus") == 1
    refused = head.get(url(world, "audit_log_csv", start="2026-05-01", end="2026-04-01"), follow=True)
    assert refused.redirect_chain and "Perbaiki saringan sebelum mengunduh" in refused.content.decode()


def test_a_cell_that_would_run_as_a_formula_is_written_as_text(world):
    world.users["humas"].full_name = "=HYPERLINK(\"http://x\")"
    world.users["humas"].save(update_fields=["full_name"])
    file_report(world.institution, reporter=world.users["humas"], subject_staff=world.budi, channel=world.channel)
    csv_text = mfa_client(world.users["kepala"]).get(url(world, "audit_log_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text


def test_a_head_who_is_the_subject_of_a_case_never_sees_its_entries(world):
    inst, users = world.institution, world.users
    about_head = file_report(inst, reporter=users["pegawai"], subject_staff=staff_for(users["kepala"], inst),
                             channel=world.channel)
    other = file_report(inst, reporter=users["pegawai"], subject_staff=world.budi, channel=world.channel)
    head = mfa_client(users["kepala"])
    seen = {(e.target_type, e.target_id) for e in entries(head.get(url(world)))}
    assert ("sanctions.violationreport", str(other.pk)) in seen
    assert ("sanctions.violationreport", str(about_head.pk)) not in seen
    assert shown(head.get(url(world, case=about_head.pk))) == []
    for name in ("audit_log_csv", "audit_log_jsonl"):
        download = head.get(url(world, name, actor=users["pegawai"].pk)).content.decode("utf-8-sig")
        assert f'"{about_head.pk}"' not in download and f";{about_head.pk};" not in download
