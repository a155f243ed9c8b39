"""What Santun holds about me (UU 27/2022): the page, the download, and "this is wrong"."""

import io
import json
import zipfile

from django.test import Client
from django.urls import reverse

from governance.audit import verify_chains
from governance.models import AuditEntry, Notification
from members.models import StaffCorrection
from sanctions.tests.factories import approved_measure, ensure_code, file_report, group, join, staff_for


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_and_the_zip_hold_my_records_everywhere_and_nobody_elses(side_a, side_b, unscoped,
                                                                           django_capture_on_commit_callbacks):
    inst, users = side_a.institution, side_a.users
    me = users["pegawai"]
    ensure_code(inst)
    mine = staff_for(me, inst, position="Guru Fikih")
    staff_for(me, side_b.institution, position="Guru Honorer Lama")  # an earlier record elsewhere
    channel = group(inst, name="Grup Resmi Guru")
    join(channel, mine)
    colleague = staff_for(users["operator"], inst)
    file_report(inst, reporter=me, subject_staff=colleague, channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        measure = approved_measure(inst, humas=users["humas"], head=users["kepala"], subject_staff=mine,
                                   channel=channel, reporter=users["humas"])

    page = _client(me).get(reverse("governance:my_data", kwargs={"institution": inst.slug})).content.decode()
    assert "Guru Fikih" in page and "Guru Honorer Lama" in page and side_b.institution.name in page
    # on a phone each row is a block whose cells name their column
    assert '<td data-label="Jabatan">Guru Fikih</td>' in page and 'data-label="Nomor WhatsApp"' in page
    assert "Grup Resmi Guru" in page
    assert measure.letter.number in page and measure.level_name in page
    # The case about me never says who reported it (Humas filed it here).
    assert users["humas"].email not in page and users["humas"].full_name not in page

    response = _client(me).get(reverse("governance:my_data_download", kwargs={"institution": inst.slug}))
    assert response["Content-Type"] == "application/zip" and response["X-Content-Type-Options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert len(data["sections"]["staff"]["rows"]) == 2
    assert len(data["sections"]["measures"]["rows"]) == 1 and len(data["sections"]["reports_filed"]["rows"]) == 1
    letters = [name for name in archive.namelist() if name.startswith("measures/")]
    assert len(letters) == 1 and archive.read(letters[0]).startswith(b"%PDF")

    # A colleague's page holds none of it.
    other = _client(users["humas"]).get(reverse("governance:my_data", kwargs={"institution": inst.slug})).content.decode()
    assert "Guru Fikih" not in other and measure.letter.number not in other


def test_this_is_wrong_becomes_a_task_for_the_operator_and_the_answer_comes_back(side_a, unscoped,
                                                                                  django_capture_on_commit_callbacks):
    inst, users = side_a.institution, side_a.users
    me = users["pegawai"]
    mine = staff_for(me, inst, position="Guru")
    client = _client(me)
    page = client.get(reverse("governance:my_data", kwargs={"institution": inst.slug})).content.decode()
    url = reverse("members:correction_request", kwargs={"institution": inst.slug, "pk": mine.pk})
    assert url in page

    refused = client.post(url, {"message": "   "}, follow=True).content.decode()
    assert "Sebutkan apa yang salah" in refused and not StaffCorrection.objects.exists()

    client.post(url, {"message": "NIP saya tertulis salah satu angka."})
    correction = StaffCorrection.objects.get()
    assert Notification.objects.filter(recipient=users["operator"], kind="members.correction").exists()
    operator = _client(users["operator"])
    listing = operator.get(reverse("members:corrections", kwargs={"institution": inst.slug})).content.decode()
    assert "NIP saya tertulis salah satu angka." in listing

    resolve = reverse("members:correction_resolve", kwargs={"institution": inst.slug, "pk": correction.pk})
    kept = operator.post(resolve, {"resolution": ""}).content.decode()
    assert "Sebutkan apa yang dilakukan" in kept
    operator.post(resolve, {"resolution": "NIP dibetulkan."})
    correction.refresh_from_db()
    assert correction.resolved_by == users["operator"] and correction.resolution == "NIP dibetulkan."
    assert Notification.objects.filter(recipient=me, kind="members.correction_done").exists()
    actions = list(AuditEntry.objects.filter(institution=inst, action__startswith="members.staff.correction")
                   .values_list("action", flat=True))
    assert actions == ["members.staff.correction_requested", "members.staff.correction_resolved"]
    assert verify_chains().ok


def test_nobody_can_ask_to_correct_someone_elses_record(side_a, unscoped):
    inst, users = side_a.institution, side_a.users
    theirs = staff_for(users["operator"], inst)
    response = _client(users["pegawai"]).post(
        reverse("members:correction_request", kwargs={"institution": inst.slug, "pk": theirs.pk}), {"message": "x"})
    assert response.status_code == 404 and not StaffCorrection.objects.exists()


def test_someone_whose_roles_have_ended_still_sees_and_downloads_their_data(side_a, unscoped,
                                                                            django_capture_on_commit_callbacks):
    from governance.models import Membership
    from governance.services import membership_end

    inst, users = side_a.institution, side_a.users
    me = users["pegawai"]
    ensure_code(inst)
    mine = staff_for(me, inst, position="Guru Sejarah")
    with django_capture_on_commit_callbacks(execute=True):
        approved_measure(inst, humas=users["humas"], head=users["kepala"], subject_staff=mine, reporter=users["humas"])
    for membership in Membership.objects.filter(user=me):
        membership_end(actor=None, membership=membership)  # from today on
    client = _client(me)
    # No institution is theirs any more: its pages are closed, the home page points to their data.
    assert client.get(reverse("governance:my_data", kwargs={"institution": inst.slug})).status_code in (403, 404)
    home = client.get(reverse("home")).content.decode()
    assert reverse("my_data_account") in home
    page = client.get(reverse("my_data_account")).content.decode()
    assert "Guru Sejarah" in page and "Surat Peringatan Pertama" in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("my_data_account_download")).content))
    data = json.loads(archive.read("data.json"))
    assert "Guru Sejarah" in json.dumps(data, ensure_ascii=False)
    assert any(name.endswith(".pdf") for name in archive.namelist())
    anonymous = Client().get(reverse("my_data_account"))
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
