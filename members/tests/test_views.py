"""What people see and do on the members pages, including what another institution must not see."""

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django_scopes import scope

from conftest import mfa_client
from governance.models import Membership, Notification
from governance.navigation import Section, register_section, sections_for
from governance.tenancy import access_for
from governance.tests.factories import TEST_PASSWORD, ChannelFactory
from members.models import Acknowledgement, GroupMembership, StaffMember
from members.tests.conftest import client_for
from members.tests.factories import (
    AcknowledgementFactory,
    CodeVersionFactory,
    GroupMembershipFactory,
    RuleFactory,
    StaffMemberFactory,
)


def url(name, side, **kwargs):
    return reverse(name, kwargs={"institution": side.institution.slug, **kwargs})


@pytest.fixture
def people(side_a, side_b, unscoped):
    a = [
        StaffMemberFactory(institution=side_a.institution, full_name="Ahmad Hidayat, S.Pd.", nip="198005172005031001",
                           phone="+6281234567001", status=StaffMember.Status.PNS),
        StaffMemberFactory(institution=side_a.institution, full_name="Rina Lestari", nip="", phone="+6281234567003",
                           status=StaffMember.Status.HONORER, user=side_a.users["pegawai"]),
    ]
    StaffMemberFactory(institution=side_b.institution, full_name="Orang Instansi B", nip="198107182006042002")
    return a


def test_directory_search_by_name_nip_and_phone(side_a, people):
    client = client_for(side_a.users["operator"])
    for query, expected in [("ahmad", "Ahmad Hidayat"), ("19800517", "Ahmad Hidayat"), ("0812-3456-7003", "Rina Lestari")]:
        body = client.get(url("members:directory", side_a), {"q": query}).content.decode()
        assert expected in body, query
    body = client.get(url("members:directory", side_a), {"status": "honorer"}).content.decode()
    assert "Rina Lestari" in body and "Ahmad Hidayat" not in body
    body = client.get(url("members:directory", side_a), {"role": "pegawai"}).content.decode()
    assert "Rina Lestari" in body and "Ahmad Hidayat" not in body
    assert "Orang Instansi B" not in client.get(url("members:directory", side_a)).content.decode()


def test_directory_filters_by_group_and_paginates(side_a, people, unscoped):
    channel = ChannelFactory(institution=side_a.institution, name="Grup Resmi")
    GroupMembershipFactory(channel=channel, staff=people[0])
    body = client_for(side_a.users["humas"]).get(url("members:directory", side_a), {"group": channel.pk}).content.decode()
    assert "Ahmad Hidayat" in body and "Rina Lestari" not in body
    for n in range(30):
        StaffMemberFactory(institution=side_a.institution, full_name=f"Zaenal {n:02d}")
    body = client_for(side_a.users["humas"]).get(url("members:directory", side_a), {"page": 2}).content.decode()
    assert "Halaman 2 dari 2" in body


def test_staff_form_keeps_input_and_names_the_wrong_part(side_a):
    client = client_for(side_a.users["operator"])
    response = client.post(url("members:staff_create", side_a), {
        "full_name": "Budi Santoso, S.Kom.", "nip": "198005172005033001", "status": "pns", "phone": "0812"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Angka ke-15 NIP" in body and "Budi Santoso, S.Kom." in body
    response = client.post(url("members:staff_create", side_a), {
        "full_name": "Budi Santoso, S.Kom.", "nip": "198005172005031001", "status": "pns", "phone": "62812 3456 7001"})
    assert response.status_code == 302
    with scope(institution=side_a.institution):
        staff = StaffMember.objects.get(full_name="Budi Santoso, S.Kom.")
    assert staff.phone == "+6281234567001" and staff.sex == "L"


def test_profile_shows_groups_acknowledgements_and_sections_of_other_apps(side_a, people, unscoped, monkeypatch):
    from governance import navigation

    monkeypatch.setitem(navigation._sections, "staff_profile", dict(navigation._sections.get("staff_profile", {})))
    register_section("staff_profile", Section("test_measures", "members/tests/section.html", "members.view_directory",
                                              context=lambda request, staff: {"note": f"ukuran {staff.pk}"}))
    channel = ChannelFactory(institution=side_a.institution, name="Grup Resmi MTsN")
    GroupMembershipFactory(channel=channel, staff=people[0], role=GroupMembership.Role.ADMIN)
    AcknowledgementFactory(staff=people[0], version=CodeVersionFactory(institution=side_a.institution, title="Kode Etik Uji"))
    response = client_for(side_a.users["kepala"]).get(url("members:staff_detail", side_a, pk=people[0].pk))
    body = response.content.decode()
    assert "Grup Resmi MTsN" in body and "Kode Etik Uji" in body
    assert f"ukuran {people[0].pk}" in body
    assert "Tanggal lahir" in body and "17 Mei 1980" in body


def test_invitation_end_to_end_with_allauth(side_a, people, django_capture_on_commit_callbacks):
    staff = people[0]
    operator = client_for(side_a.users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(url("members:staff_invite", side_a, pk=staff.pk),
                                 {"email": "ahmad@contoh.test", "role": "humas"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ahmad@contoh.test"]
    link = re.search(r"http://\S+/undangan/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else "/" + link.split("/", 3)[3]

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    weak = visitor.post(path, {"password1": "123", "password2": "123"})
    assert weak.status_code == 200 and "is-invalid" in weak.content.decode()
    response = visitor.post(path, {"password1": "Sawah-Hijau-2024!", "password2": "Sawah-Hijau-2024!"})
    assert response.status_code == 302 and response["Location"].startswith("/akun/login/")
    assert visitor.get(path).status_code == 404, "the link works only once"

    response = visitor.post("/akun/login/", {"login": "ahmad@contoh.test", "password": "Sawah-Hijau-2024!"})
    assert response.status_code == 302
    dashboard = visitor.get(reverse("governance:dashboard", kwargs={"institution": side_a.institution.slug}))
    assert dashboard.status_code == 200
    with scope(institution=side_a.institution):
        staff.refresh_from_db()
        roles = set(Membership.objects.active().filter(user=staff.user).values_list("role", flat=True))
    assert roles == {"humas", "pegawai"}
    assert Membership.objects.filter(user=staff.user, role="humas").get().granted_by == side_a.users["operator"]


def test_operator_cannot_invite_a_head_but_the_parents_operator_can(side_a, people, django_capture_on_commit_callbacks):
    operator = client_for(side_a.users["operator"])
    response = operator.post(url("members:staff_invite", side_a, pk=people[0].pk), {"email": "a@contoh.test", "role": "kepala"})
    assert response.status_code == 302 and len(mail.outbox) == 0
    assert operator.get(url("members:heads", side_a)).status_code == 403

    parent_operator = client_for(side_a.parent_users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_operator.post(url("members:heads", side_a), {"full_name": "Kepala Baru, M.Pd.", "email": "kepala.baru@contoh.test"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["kepala.baru@contoh.test"]
    link = re.search(r"/undangan/\S+/", mail.outbox[0].body).group(0)
    visitor = Client()
    visitor.post(link, {"password1": "Sawah-Hijau-2024!", "password2": "Sawah-Hijau-2024!"})
    visitor.post("/akun/login/", {"login": "kepala.baru@contoh.test", "password": "Sawah-Hijau-2024!"})
    response = visitor.get(reverse("governance:dashboard", kwargs={"institution": side_a.institution.slug}))
    assert response.status_code == 302 and "/akun/2fa/" in response["Location"], "a head must set up TOTP first"


@pytest.mark.parametrize("role", ["operator", "kepala"])
def test_from_the_parent_a_childs_head_page_has_a_way_back_and_no_link_that_refuses(side_a, role):
    visitor = client_for(side_a.parent_users[role])
    page = visitor.get(url("members:heads", side_a)).content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', page))
    parent = side_a.institution.parent.slug
    back = reverse("members:children" if role == "operator" else "governance:dashboard", kwargs={"institution": parent})
    assert back in links
    for link in links - {url("members:heads", side_a)}:
        if not link.startswith("/static/"):
            assert visitor.get(link, follow=True).status_code == 200, link


def test_an_existing_account_signs_in_then_accepts(side_a, side_b, people, django_capture_on_commit_callbacks):
    """Someone already working elsewhere (with an account) joins a second institution."""
    existing = side_b.users["humas"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(side_a.users["operator"]).post(url("members:staff_invite", side_a, pk=people[0].pk),
                                                  {"email": existing.email, "role": "pegawai"})
    link = re.search(r"/undangan/\S+/", mail.outbox[0].body).group(0)
    assert "Masuk" in Client().get(link).content.decode()
    user_client = Client()
    user_client.post("/akun/login/", {"login": existing.email, "password": TEST_PASSWORD})
    response = user_client.post(link)
    assert response.status_code == 302
    assert Membership.objects.active().filter(user=existing, institution=side_a.institution, role="pegawai").exists()


def test_role_grant_and_revoke_pages(side_a, people, unscoped):
    client = client_for(side_a.users["operator"])
    staff = people[1]  # has the pegawai account
    client.post(url("members:role_grant", side_a, pk=staff.pk), {"role": "humas"})
    membership = Membership.objects.active().get(user=staff.user, institution=side_a.institution, role="humas")
    response = client.post(url("members:role_grant", side_a, pk=staff.pk), {"role": "kepala"})
    assert not Membership.objects.filter(user=staff.user, role="kepala").exists()
    assert response.status_code == 302
    client.post(url("members:role_revoke", side_a, pk=membership.pk))
    membership.refresh_from_db()
    assert membership.ends_on is not None


def test_onboarding_through_the_page(side_a, unscoped, django_capture_on_commit_callbacks):
    from governance.models import Institution

    Institution.objects.filter(pk=side_a.institution.pk).update(kind=Institution.Kind.DISTRICT_OFFICE)
    client = client_for(side_a.users["operator"])
    data = {"name": "MTs Negeri 2 Contoh", "slug": "", "kind": "madrasah", "province_code": "16", "regency_code": "16.03",
            "timezone": "Asia/Jakarta", "nsm": "121116030009", "letter_unit_code": "Mts.06.03.9",
            "head_name": "Kepala, S.Ag.", "head_email": "kepala@mtsn2.test", "operator_name": "Operator",
            "operator_email": "operator@mtsn2.test"}
    response = client.post(url("members:child_create", side_a), {**data, "nsm": "12111603000"})
    assert response.status_code == 200 and "12 angka" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("members:child_create", side_a), data)
    assert response.status_code == 302
    assert "MTs Negeri 2 Contoh" in client.get(url("members:children", side_a)).content.decode()
    assert len(mail.outbox) == 2


# Acknowledgements ----------------------------------------------------------------------------

@pytest.fixture
def published(side_a, people, unscoped):
    version = CodeVersionFactory(institution=side_a.institution, title="Kode Etik Bermedia Sosial MTsN")
    RuleFactory(version=version, text="Tidak memposting hal-hal yang berbau pornografi.")
    return version


def test_banner_until_the_staff_member_acknowledges(side_a, published):
    client = client_for(side_a.users["pegawai"])
    dashboard = reverse("governance:dashboard", kwargs={"institution": side_a.institution.slug})
    body = client.get(dashboard).content.decode()
    assert "Kode etik baru telah terbit" in body and "Baca dan nyatakan" in body
    page = client.get(url("members:acknowledge", side_a)).content.decode()
    assert "Tidak memposting hal-hal yang berbau pornografi." in page
    client.post(url("members:acknowledge", side_a))
    assert Acknowledgement.objects.filter(version=published, staff__user=side_a.users["pegawai"]).exists()
    assert "Kode etik baru telah terbit" not in client.get(dashboard).content.decode()
    # Staff without a staff record (e.g. the head here) see no banner and cannot acknowledge.
    assert "Kode etik baru telah terbit" not in client_for(side_a.users["humas"]).get(dashboard).content.decode()



def test_the_code_page_ends_with_the_readers_own_acknowledgement(side_a, published):
    """Whoever reads the code through the menu can acknowledge it where the rules end."""
    client = client_for(side_a.users["pegawai"])
    code_page = reverse("governance:code_versions", kwargs={"institution": side_a.institution.slug})
    body = client.get(code_page).content.decode()
    rules_end = body.index("Tidak memposting hal-hal yang berbau pornografi.")
    button = body.index("Saya telah membaca dan memahami kode etik ini")
    assert rules_end < button and f'action="{url("members:acknowledge", side_a)}"' in body
    client.post(url("members:acknowledge", side_a))
    assert Acknowledgement.objects.filter(version=published, staff__user=side_a.users["pegawai"]).exists()
    body = client.get(code_page).content.decode()
    assert "Anda menyatakan telah membaca versi ini pada" in body
    assert "Saya telah membaca dan memahami kode etik ini" not in body
    # Someone not on the staff list (the head here) sees the code without the button.
    head_page = mfa_client(side_a.users["kepala"]).get(code_page).content.decode()
    assert "Tidak memposting" in head_page and "Saya telah membaca dan memahami kode etik ini" not in head_page

def test_status_page_paper_acknowledgement_and_reminder(side_a, people, published, django_capture_on_commit_callbacks):
    humas = client_for(side_a.users["humas"])
    body = humas.get(url("members:acknowledgement_status", side_a, pk=published.pk)).content.decode()
    assert "0 dari 2 pegawai aktif" in body and "Ahmad Hidayat" in body
    humas.post(url("members:acknowledgement_paper", side_a, pk=published.pk), {"staff": people[0].pk})
    ack = Acknowledgement.objects.get(staff=people[0])
    assert ack.method == "paper" and ack.recorded_by == side_a.users["humas"]
    with django_capture_on_commit_callbacks(execute=True):
        response = humas.post(url("members:acknowledgement_remind", side_a, pk=published.pk), follow=True)
    assert "1 orang" in response.content.decode()
    assert list(Notification.objects.filter(kind="members.acknowledgement_reminder").values_list("recipient", flat=True)) == [
        side_a.users["pegawai"].pk]
    body = humas.get(url("members:acknowledgement_status", side_a, pk=published.pk), {"tampil": "belum"}).content.decode()
    assert "Rina Lestari" in body and "Ahmad Hidayat" not in body


def test_the_head_sees_the_status_but_does_not_record_paper(side_a, published):
    client = client_for(side_a.users["kepala"])
    assert client.get(url("members:acknowledgement_overview", side_a)).status_code == 200
    assert "Sudah tanda tangan" not in client.get(url("members:acknowledgement_status", side_a, pk=published.pk)).content.decode()


def _request(user, institution):
    request = RequestFactory().get("/")
    request.user, request.institution, request.access = user, institution, access_for(user, institution)
    return request


def test_code_version_section_shows_counts_and_links_to_the_status(side_a, people, published):
    AcknowledgementFactory(staff=people[1], version=published)
    sections = sections_for(_request(side_a.users["kepala"], side_a.institution), "code_version", version=published)
    ours = [s for s in sections if s["template"] == "members/sections/code_version.html"][0]
    assert (ours["context"]["acknowledged"], ours["context"]["total"]) == (1, 2)
    from django.template.loader import render_to_string

    request = _request(side_a.users["kepala"], side_a.institution)
    html = render_to_string("partials/sections.html", {"sections": sections, "request": request})
    assert "1 dari 2 pegawai aktif (50%)" in html
    assert url("members:acknowledgement_status", side_a, pk=published.pk) in html
    assert sections_for(_request(side_a.users["pegawai"], side_a.institution), "code_version", version=published) == []


def test_channel_section_lists_admins_and_members_with_actions_for_humas(side_a, people, unscoped):
    channel = ChannelFactory(institution=side_a.institution)
    GroupMembershipFactory(channel=channel, staff=people[0], role=GroupMembership.Role.ADMIN)
    GroupMembershipFactory(channel=channel, staff=people[1])
    context = sections_for(_request(side_a.users["humas"], side_a.institution), "channel_detail", channel=channel)[0]["context"]
    assert [m.staff for m in context["admins"]] == [people[0]] and [m.staff for m in context["members"]] == [people[1]]
    assert context["can_manage"]
    kepala_context = sections_for(_request(side_a.users["kepala"], side_a.institution), "channel_detail", channel=channel)[0]["context"]
    assert not kepala_context["can_manage"]
    page = client_for(side_a.users["humas"]).get(url("members:channel_members", side_a, channel_pk=channel.pk)).content.decode()
    assert "Ahmad Hidayat" in page and "Akhiri" in page


def test_group_pages_add_change_and_end(side_a, people, unscoped):
    channel = ChannelFactory(institution=side_a.institution)
    client = client_for(side_a.users["operator"])
    client.post(url("members:group_add", side_a, channel_pk=channel.pk), {"staff": people[0].pk, "role": "member"})
    membership = GroupMembership.objects.get(channel=channel, staff=people[0])
    client.post(url("members:group_role", side_a, pk=membership.pk), {"role": "admin"})
    client.post(url("members:group_end", side_a, pk=membership.pk))
    membership.refresh_from_db()
    assert membership.role == "admin" and membership.until is not None and membership.removed_by == side_a.users["operator"]


def test_dashboard_panels_for_operator_and_staff(side_a, people, published):
    dashboard = reverse("governance:dashboard", kwargs={"institution": side_a.institution.slug})
    body = client_for(side_a.users["operator"]).get(dashboard).content.decode()
    assert "2 pegawai aktif, 1 di antaranya memiliki akun" in body
    body = client_for(side_a.users["pegawai"]).get(dashboard).content.decode()
    assert "Kode Etik Bermedia Sosial MTsN" in body


def test_menu_items_follow_permissions(side_a):
    dashboard = reverse("governance:dashboard", kwargs={"institution": side_a.institution.slug})
    operator_menu = client_for(side_a.users["operator"]).get(dashboard).content.decode()
    assert ">Pegawai<" in operator_menu and ">Impor<" in operator_menu
    staff_menu = client_for(side_a.users["pegawai"]).get(dashboard).content.decode()
    assert ">Impor<" not in staff_menu


def test_platform_operators_see_staff_in_the_admin_read_only(side_a, people):
    from governance.tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = mfa_client(admin_user)
    response = client.get("/admin/members/staffmember/")
    assert response.status_code == 200 and "Ahmad Hidayat" in response.content.decode()
    assert client.get("/admin/members/staffmember/add/").status_code == 403


def test_code_version_section_stays_quiet_for_a_draft(side_a, people, unscoped):
    draft = CodeVersionFactory(institution=side_a.institution, state="draft", published_at=None)
    context = sections_for(_request(side_a.users["humas"], side_a.institution), "code_version", version=draft)[0]["context"]
    assert context["is_draft"]
