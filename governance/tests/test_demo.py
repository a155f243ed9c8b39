import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client

from governance.audit import verify_chains
from governance.demo import ASSESSOR_INSTITUTIONS, TREE, demo_email
from governance.models import AuditEntry, Institution, Membership, User
from members.models import StaffMember

pytestmark = pytest.mark.shared_data


@pytest.fixture
def demo(seeded_demo, db, settings):
    settings.DEBUG = True


def test_seed_demo_builds_the_trees_from_the_articles(demo):
    slugs = {slug for slug, *_ in TREE}
    # The article trees, plus the madrasahs the assessment demo adds below them.
    assert slugs <= set(Institution.objects.values_list("slug", flat=True))
    madrasah = Institution.objects.get(slug="mtsn-1-muara-enim")
    assert [i.slug for i in Institution.objects.filter(pk__in=madrasah.ancestor_ids())] == [
        "kemenag-ri", "kanwil-kemenag-sumsel", "kankemenag-muara-enim"]
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
    # the recovery codes that "My settings" links to are there, as for anyone who set up TOTP
    settings_page = client.get("/instansi/mtsn-1-muara-enim/akun-saya/").content.decode()
    assert "/akun/2fa/recovery-codes/" in settings_page
    from allauth.mfa.models import Authenticator
    from django_scopes import scopes_disabled

    with scopes_disabled():
        totp = set(Authenticator.objects.filter(type="totp").values_list("user", flat=True))
        codes = set(Authenticator.objects.filter(type="recovery_codes").values_list("user", flat=True))
    assert totp and totp == codes  # the page does not answer "not found"


TEMPLATE_OF = {
    "kanwil-kemenag-sumsel": "kemenag_neutrality", "mtsn-1-muara-enim": "madrasah_wa_group",
    "kanwil-kemenag-kalsel": "kemenag_neutrality", "kemenag-banjarbaru": "kemenag_neutrality",
    "pemkab-oku-timur": "opd_accounts", "ditjenpas": "pemasyarakatan", "kanwil-djpb-sumbar": "djpb",
    "kemenag-ri": "kemenag_neutrality", "kemenkeu": "djpb", "ditjen-perbendaharaan": "djpb",
    "kemenimipas": "pemasyarakatan",
}
ADOPTED_FROM = {
    "kankemenag-muara-enim": "kanwil-kemenag-sumsel", "diskominfo-oku-timur": "pemkab-oku-timur",
    "dinas-pendidikan-oku-timur": "pemkab-oku-timur", "bkpsdm-oku-timur": "pemkab-oku-timur",
    "kanwil-pas-jateng": "ditjenpas", "rutan-kudus": "kanwil-pas-jateng", "kppn-sijunjung": "kanwil-djpb-sumbar",
}
SOURCE_OF = {"madrasah_wa_group": "8 Agustus 2020", "kemenag_neutrality": "30 November 2020",
             "pemasyarakatan": "7 Februari 2025", "djpb": "Bijak Bermedia Sosial", "opd_accounts": "23 Oktober 2024"}


def _origin_template(slug):
    while slug in ADOPTED_FROM:
        slug = ADOPTED_FROM[slug]
    return TEMPLATE_OF[slug]


def test_every_demo_institution_has_a_published_code_and_a_public_page(demo, unscoped):
    from governance.models import CodeVersion

    assert set(TEMPLATE_OF) | set(ADOPTED_FROM) == {slug for slug, *_ in TREE}
    for slug, *_ in TREE:
        current = CodeVersion.objects.get(institution__slug=slug, state="published")
        if slug in TEMPLATE_OF:
            assert current.template_key == TEMPLATE_OF[slug]
        else:
            assert current.adopted_parent_version.institution.slug == ADOPTED_FROM[slug]
            assert current.rules.filter(inherited_from__isnull=False).exists()
        response = Client().get(f"/instansi/{slug}/kode-etik/")
        page = response.content.decode()
        assert response.status_code == 200, slug
        assert current.title in page and SOURCE_OF[_origin_template(slug)] in page, slug
        assert "@santun.test" not in page and "+628" not in page, slug
    # One seed for both checks: seeding is the slow part of these tests.
    _the_demo_has_the_articles_groups_accounts_and_a_month_of_posts()


def _the_demo_has_the_articles_groups_accounts_and_a_month_of_posts():
    import datetime

    from governance.models import Channel, CodeVersion, Publication
    from governance.selectors import posting_target_attainment

    mtsn = Channel.objects.filter(institution__slug="mtsn-1-muara-enim", kind="wa_group")
    assert {(c.is_official, c.name) for c in mtsn} >= {(True, "WA Grup Resmi MTsN 1 Muara Enim"),
                                                      (False, "Grup Santai Guru dan Pegawai MTsN 1")}
    assert CodeVersion.objects.get(institution__slug="mtsn-1-muara-enim", state="draft").number == 2
    for slug in ("diskominfo-oku-timur", "dinas-pendidikan-oku-timur", "bkpsdm-oku-timur"):
        accounts = Channel.objects.filter(institution__slug=slug, posting_target__gt=0)
        assert accounts.count() >= 2 and {a.kind for a in accounts} & {"facebook", "instagram", "website"}
        days = {p.published_at.date() for p in Publication.objects.filter(institution__slug=slug)}
        # A month of posts; BKPSDM posts only every other day or so.
        assert len(days) >= (10 if slug == "bkpsdm-oku-timur" else 25), slug
    bkpsdm = Institution.objects.get(slug="bkpsdm-oku-timur")
    today = bkpsdm.local_today()
    rows = posting_target_attainment(bkpsdm, today - datetime.timedelta(days=30), today - datetime.timedelta(days=1))
    assert rows and all(row.share is not None and row.share < 1 for row in rows)
    # OKU Timur published a second version; BKPSDM has not adopted it yet.
    assert CodeVersion.objects.get(institution__slug="pemkab-oku-timur", state="published").number == 2
    assert CodeVersion.objects.get(institution__slug="bkpsdm-oku-timur", state="published").adopted_parent_version.number == 1
