import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client

from governance.audit import verify_chains
from governance.demo import ASSESSOR_INSTITUTIONS, TREE, demo_email
from governance.models import AuditEntry, Institution, Membership, User
from members.models import StaffMember


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet=True)


def test_seed_demo_builds_the_trees_from_the_articles(demo):
    slugs = {slug for slug, *_ in TREE}
    assert set(Institution.objects.values_list("slug", flat=True)) == slugs
    madrasah = Institution.objects.get(slug="mtsn-1-muara-enim")
    assert [i.slug for i in Institution.objects.filter(pk__in=madrasah.ancestor_ids())] == [
        "kanwil-kemenag-sumsel", "kankemenag-muara-enim"]
    assert Institution.objects.get(slug="kemenag-banjarbaru").tz_abbreviation == "WITA"


def test_every_role_has_a_login_that_works(demo, unscoped):
    for slug, *_ in TREE:
        roles = ["kepala", "humas", "operator", "pegawai"] + (["penilai"] if slug in ASSESSOR_INSTITUTIONS else [])
        for role in roles:
            user = authenticate(email=demo_email(role, slug), password="santun-demo")
            assert user is not None, demo_email(role, slug)
            assert Membership.objects.filter(user=user, institution__slug=slug, role=role).exists()


def test_staff_have_valid_nips_and_phones(demo, unscoped):
    staff = StaffMember.objects.filter(institution__slug="mtsn-1-muara-enim")
    assert staff.count() >= 10
    for person in staff.exclude(nip=""):
        assert person.birth_date is not None and person.sex in ("L", "P")
    assert all(p.phone.startswith("+628") for p in staff)


def test_seed_demo_is_idempotent_and_keeps_the_audit_chain_intact(demo, unscoped):
    counts = (User.objects.count(), StaffMember.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", quiet=True)
    assert (User.objects.count(), StaffMember.objects.count(), AuditEntry.objects.count()) == counts
    assert verify_chains().ok


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True, force=True)
    assert Institution.objects.filter(slug="rutan-kudus").exists()


def test_demo_head_signs_in_with_password_then_totp(demo):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from governance.demo import DEMO_TOTP_SECRET

    client = Client()
    response = client.post("/akun/login/", {"login": "kepala.mtsn-1-muara-enim@santun.test", "password": "santun-demo"})
    assert response.status_code == 302 and "/akun/2fa/authenticate/" in response["Location"]
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    response = client.post("/akun/2fa/authenticate/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/instansi/mtsn-1-muara-enim/"
    assert "MTs Negeri 1 Muara Enim" in response.content.decode()
