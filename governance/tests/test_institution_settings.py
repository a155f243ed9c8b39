"""An institution's own settings: its head and operator change the profile, letterhead, logo and
letter numbers; every change is audited; bad input is refused on the form; letters issued afterwards
(and only those) follow the change."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image

from conftest import mfa_client
from governance.models import AuditEntry, Institution, Membership, Role
from governance.tests.conftest import client_for
from governance.tests.factories import UserFactory
from sanctions.tests.conftest import world  # noqa: F401 - the sanctions test world, for the letter tests


def url(name, institution, **kwargs):
    return reverse(f"governance:{name}", kwargs={"institution": institution.slug, **kwargs})


def settings_entries(institution):
    with scopes_disabled():
        return list(AuditEntry.objects.filter(institution=institution, action="governance.institution.settings_changed")
                    .order_by("seq").values_list("data", flat=True))


def png(size=(120, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 120, 60)).save(out, "PNG")
    return out.getvalue()


PROFILE = {
    "name": "Instansi a", "address": "Jl. Pendidikan No. 1, Muara Enim", "phone": "0734 421234",
    "email": "mtsn1muaraenim@contoh.test", "timezone": "Asia/Jakarta", "province_code": "16", "regency_code": "16.03",
    "letterhead": "KEMENTERIAN AGAMA REPUBLIK INDONESIA\nKANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM",
}


@pytest.fixture
def operator(side_a):
    return client_for(side_a.users["operator"])


def test_the_operator_finds_settings_in_the_menu_and_humas_does_not(side_a, operator):
    inst = side_a.institution
    page = operator.get(url("dashboard", inst)).content.decode()
    assert url("settings_profile", inst) in page and "Pengaturan" in page
    humas_page = client_for(side_a.users["humas"]).get(url("dashboard", inst)).content.decode()
    assert url("settings_profile", inst) not in humas_page
    assert client_for(side_a.users["humas"]).get(url("settings_profile", inst)).status_code == 403


def test_the_profile_is_saved_with_one_audit_entry_naming_the_changed_fields(side_a, operator):
    inst = side_a.institution
    response = operator.post(url("settings_profile", inst), {**PROFILE, "logo": io.BytesIO(png())})
    assert response.status_code == 302
    inst.refresh_from_db()
    assert inst.letterhead_lines == ["KEMENTERIAN AGAMA REPUBLIK INDONESIA",
                                     "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM"]
    assert inst.phone == "+62 734 421234" and inst.email == "mtsn1muaraenim@contoh.test"
    # The logo is in private storage, under a name of its own, and served only to the settings roles.
    assert inst.logo.name.startswith(f"logos/{inst.pk}/") and default_storage.exists(inst.logo.name)
    assert operator.get(url("settings_logo", inst)).status_code == 200
    assert client_for(side_a.users["pegawai"]).get(url("settings_logo", inst)).status_code == 403
    [entry] = settings_entries(inst)
    assert set(entry["fields"]) == {"address", "phone", "email", "letterhead", "logo"}
    # Saving again without a change writes nothing.
    operator.post(url("settings_profile", inst), PROFILE)
    assert len(settings_entries(inst)) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "bukan nomor telepon yang sah"),
    ("email", "bukan-email", "bukan alamat e-mail yang sah"),
    ("letterhead", "A\nB\nC\nD\nE", "paling banyak 4 baris"),
    ("regency_code", "33.19", "tidak terletak di provinsi 16"),
    ("regency_code", "1603", "16.03"),
    ("name", "   ", "Bidang ini tidak boleh kosong"),
])
def test_bad_profile_input_is_refused_in_indonesian_and_keeps_what_was_typed(side_a, operator, field, value, message):
    inst = side_a.institution
    data = {**PROFILE, "address": "Alamat baru yang diketik", field: value}
    response = operator.post(url("settings_profile", inst), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Alamat baru yang diketik" in page
    inst.refresh_from_db()
    assert inst.address == "" and settings_entries(inst) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "harus berupa gambar PNG atau JPEG"),
    (b"GIF89a" + b"\0" * 40, "harus berupa gambar PNG atau JPEG"),
    (None, "paling besar 512 KB"),
    ("pixels", "2000 × 2000 piksel"),
])
def test_a_logo_is_checked_by_its_content(side_a, operator, content, message):
    inst = side_a.institution
    if content is None:
        content = png() + b"\0" * (512 * 1024)
    elif content == "pixels":
        content = png((2100, 2000))
    upload = io.BytesIO(content)
    upload.name = "logo.png"
    response = operator.post(url("settings_profile", inst), {**PROFILE, "logo": upload})
    assert response.status_code == 200 and message in response.content.decode()
    inst.refresh_from_db()
    assert not inst.logo and inst.letterhead == "" and settings_entries(inst) == []


LETTERS = {"letter_unit_code": "Mts.06.03.1", "letter_classification_code": "KP.04.2",
           "letter_number_template": "B-{seq}/{kode_jabatan}/{kode_klasifikasi}/{MM}/{YYYY}",
           "kind_sanctions__warning_letter": ""}


@pytest.mark.parametrize(("template", "message"), [
    ("B-{nomor}/{YYYY}", "placeholder yang tidak dikenal: {nomor}"),
    ("B/{kode_jabatan}/{YYYY}", "harus memuat {seq}"),
    ("B-{seq/{YYYY}", "kurung kurawal"),
    ("", "Tulis templat nomor"),
])
def test_an_unusable_number_template_is_refused_never_replaced(side_a, operator, template, message):
    inst = side_a.institution
    before = inst.letter_number_template
    response = operator.post(url("settings_letters", inst), {**LETTERS, "letter_unit_code": "Mts.99",
                                                             "letter_number_template": template})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'value="Mts.99"' in page
    inst.refresh_from_db()
    assert (inst.letter_number_template, inst.letter_unit_code) == (before, "Mts.06.03.1")
    assert settings_entries(inst) == []


def test_the_preview_shows_the_next_number_as_typed(side_a, operator, long_serving):
    inst = side_a.institution
    long_serving()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC), tick=False):
        page = operator.get(url("settings_letters", inst)).content.decode()
        assert "B-1/Mts.06.03.1/KP.04.2/03/2026" in page
        preview = operator.get(url("settings_letters_preview", inst), {
            **LETTERS, "letter_number_template": "{seq}/{kode_jabatan}/{kode_klasifikasi}/{YYYY}",
            "kind_sanctions__warning_letter": "PK.01"}, headers={"HX-Request": "true"}).content.decode()
        assert "1/Mts.06.03.1/PK.01/2026" in preview and "<html" not in preview
        refused = operator.get(url("settings_letters_preview", inst), {
            **LETTERS, "letter_number_template": "{nomor}"}).content.decode()
        assert "{nomor}" in refused and "harus memuat" not in refused


def test_the_head_changes_letter_numbers_and_the_change_is_audited(side_a):
    inst = side_a.institution
    head = mfa_client(side_a.users["kepala"])
    response = head.post(url("settings_letters", inst), {
        **LETTERS, "letter_unit_code": "Kk.06.03", "letter_classification_code": "800.1.6",
        "kind_sanctions__warning_letter": "PK.01"})
    assert response.status_code == 302
    inst.refresh_from_db()
    assert (inst.letter_unit_code, inst.letter_classification_code) == ("Kk.06.03", "800.1.6")
    assert inst.letter_classification_overrides == {"sanctions.warning_letter": "PK.01"}
    [entry] = settings_entries(inst)
    assert set(entry["fields"]) == {"letter_unit_code", "letter_classification_code",
                                    "letter_classification_overrides"}


def test_another_institutions_settings_are_not_found(side_a, side_b, operator):
    assert operator.get(url("settings_letters", side_b.institution)).status_code == 404


def test_a_letter_issued_after_a_change_follows_it_and_earlier_letters_keep_theirs(world, unscoped):  # noqa: F811
    from sanctions.letters import letter_html
    from sanctions.tests.factories import approved_measure

    inst = world.institution
    operator = client_for(world.users["operator"])

    def issue(name, moment):
        with time_machine.travel(moment, tick=False):
            return approved_measure(inst, humas=world.users["humas"], head=world.users["kepala"],
                                    subject_name=name, channel=world.channel).letter

    before = issue("Anggota Satu", datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC))
    assert before.number == "B-1/Mts.06.03.1/KP.04.2/03/2026"
    assert operator.post(url("settings_profile", inst), {**PROFILE, "logo": io.BytesIO(png())}).status_code == 302
    assert operator.post(url("settings_letters", inst), {
        **LETTERS, "letter_number_template": "{seq}/{kode_jabatan}/{kode_klasifikasi}/{DD}.{MM}.{YYYY}",
        "kind_sanctions__warning_letter": "KP.04.3"}).status_code == 302
    after = issue("Anggota Dua", datetime.datetime(2026, 3, 9, 3, tzinfo=datetime.UTC))
    assert after.number == "2/Mts.06.03.1/KP.04.3/09.03.2026"
    html = letter_html(after)
    assert "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM" in html and "+62 734 421234" in html
    assert 'class="logo" src="data:image/png;base64,' in html
    # The letter issued before the change keeps its number and its letterhead.
    before.refresh_from_db()
    old_html = letter_html(before)
    assert before.number == "B-1/Mts.06.03.1/KP.04.2/03/2026"
    assert "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM" not in old_html and world.parent.name in old_html
    assert 'class="logo"' not in old_html
    # And its PDF shows the new letterhead.
    from pypdf import PdfReader

    from sanctions import services as sanctions_services

    pdf = sanctions_services.letter_render_pdf(letter=after).pdf.read()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM" in text and "2/Mts.06.03.1/KP.04.3/09.03.2026" in text


def test_an_acting_head_signs_as_acting_head(world, unscoped):  # noqa: F811
    from sanctions.tests.factories import approved_measure, staff_for

    inst = world.institution
    acting = world.users["plt"]
    staff_for(acting, inst, position="Guru Madya")
    Membership.objects.filter(institution=inst, role=Role.HEAD).update(ends_on=datetime.date(2026, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, tzinfo=datetime.UTC), tick=False):
        letter = approved_measure(inst, humas=world.users["humas"], head=acting, subject_name="Anggota",
                                  channel=world.channel).letter
    assert letter.signer_position == f"Plt. Kepala {inst.name}"


@pytest.fixture
def admin_client(db):
    return mfa_client(UserFactory(is_staff=True, is_superuser=True))


def test_an_admin_edit_of_an_institution_goes_through_the_service(side_a, admin_client):
    inst = side_a.institution
    change = reverse("admin:governance_institution_change", args=[inst.pk])
    form = admin_client.get(change)
    assert form.status_code == 200
    data = {name: getattr(inst, name) for name in (
        "name", "slug", "kind", "province_code", "regency_code", "timezone", "nsm", "letter_unit_code",
        "letter_number_template", "letter_classification_code", "address", "phone", "email", "letterhead")}
    data.update(parent=inst.parent_id, is_active="on", letter_classification_overrides="{}")
    refused = admin_client.post(change, {**data, "letter_number_template": "B-{nomor}"})
    assert refused.status_code == 200 and "{nomor}" in refused.content.decode()
    refused = admin_client.post(change, {**data, "phone": "12"})
    assert refused.status_code == 200
    assert settings_entries(inst) == []
    response = admin_client.post(change, {**data, "letterhead": "PEMERINTAH KABUPATEN CONTOH"})
    assert response.status_code == 302
    inst.refresh_from_db()
    assert inst.letterhead == "PEMERINTAH KABUPATEN CONTOH"
    [entry] = settings_entries(inst)
    assert entry["fields"] == ["letterhead"]


def test_an_admin_edit_of_a_membership_is_audited(side_a, admin_client):
    with scopes_disabled():
        membership = Membership.objects.get(institution=side_a.institution, role=Role.OPERATOR)
    change = reverse("admin:governance_membership_change", args=[membership.pk])
    response = admin_client.post(change, {"ends_on": "2030-01-31"})
    assert response.status_code == 302
    with scopes_disabled():
        membership.refresh_from_db()
        entry = AuditEntry.objects.filter(action="governance.membership.end_changed").get()
    assert membership.ends_on == datetime.date(2030, 1, 31)
    assert entry.data["to"] == "2030-01-31"
    assert Institution.objects.get(pk=side_a.institution.pk).letter_unit_code == "Mts.06.03.1"


def test_an_institution_added_in_the_admin_is_created_by_the_service_with_its_logo(side_a, admin_client):
    upload = io.BytesIO(png())
    upload.name = "logo.png"
    response = admin_client.post(reverse("admin:governance_institution_add"), {
        "name": "MTs Negeri 2 Muara Enim", "slug": "mtsn-2-muara-enim", "kind": "madrasah",
        "parent": side_a.parent.pk, "province_code": "16", "regency_code": "16.03", "timezone": "Asia/Jakarta",
        "letter_number_template": "B-{seq}/{kode_jabatan}/{kode_klasifikasi}/{MM}/{YYYY}",
        "letter_classification_code": "KP.04.2", "letter_classification_overrides": "{}", "is_active": "on",
        "letterhead": "KEMENTERIAN AGAMA REPUBLIK INDONESIA", "logo_upload": upload})
    assert response.status_code == 302
    created = Institution.objects.get(slug="mtsn-2-muara-enim")
    assert created.parent_id == side_a.parent.pk and created.path.startswith(side_a.parent.path)
    assert created.logo.name.startswith(f"logos/{created.pk}/")
    with scopes_disabled():
        actions = list(AuditEntry.objects.filter(institution=created).values_list("action", flat=True))
    assert actions == ["governance.institution.created", "governance.institution.settings_changed"]
