import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from governance.models import Channel, Institution, Membership, Role, TimeZone
from governance.tenancy import access_for
from governance.tests.factories import ChannelFactory, InstitutionFactory, UserFactory, make_member


def dashboard(slug):
    return reverse("governance:dashboard", kwargs={"institution": slug})


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_query_on_tenant_data_without_a_scope_raises(db):
    with pytest.raises(ScopeError):
        list(Channel.objects.all())


def test_a_scope_shows_only_its_institution(db, unscoped):
    mine, theirs = InstitutionFactory(), InstitutionFactory()
    ChannelFactory(institution=mine, name="Grup kami")
    ChannelFactory(institution=theirs, name="Grup mereka")
    with scope(institution=mine):
        assert [c.name for c in Channel.objects.all()] == ["Grup kami"]


def test_a_subtree_scope_shows_its_active_tree_with_one_short_query_however_large(db, unscoped):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from governance.tenancy import rows_of_subtree, subtree_scope

    top, elsewhere = InstitutionFactory(), InstitutionFactory()
    child = InstitutionFactory(parent=top)
    closed = InstitutionFactory(parent=top, is_active=False)
    for institution, name in ((top, "Grup kanwil"), (child, "Grup madrasah"), (closed, "Grup lama"),
                              (elsewhere, "Grup lain")):
        ChannelFactory(institution=institution, name=name)

    def read():
        with subtree_scope(top), CaptureQueriesContext(connection) as queries:
            names = sorted(c.name for c in Channel.objects.all())
        assert sorted(c.name for c in rows_of_subtree(Channel, top)) == names
        return names, queries[0]["sql"]

    names, sql = read()
    assert names == ["Grup kanwil", "Grup madrasah"]
    for _ in range(40):
        InstitutionFactory(parent=child)
    # a province of many institutions is read with the same SQL, not one parameter per institution
    assert read()[1] == sql


def test_unknown_institution_is_a_404_page_in_indonesian(db):
    user = UserFactory()
    response = client_for(user).get("/instansi/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(db):
    institution = InstitutionFactory()
    response = Client().get(dashboard(institution.slug))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/?next=")


def test_member_of_another_institution_gets_404_not_403(db):
    mine, theirs = InstitutionFactory(), InstitutionFactory()
    user = make_member(mine, Role.PUBLIC_RELATIONS)
    assert client_for(user).get(dashboard(theirs.slug)).status_code == 404
    assert client_for(user).get(dashboard(mine.slug)).status_code == 200


def test_ended_membership_no_longer_opens_the_institution(db, unscoped):
    institution = InstitutionFactory()
    user = make_member(institution, Role.STAFF)
    Membership.objects.filter(user=user).update(ends_on="2020-01-01")
    assert client_for(user).get(dashboard(institution.slug)).status_code == 404


def test_user_without_any_membership_sees_a_friendly_start_page(db):
    user = UserFactory()
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert "belum terhubung ke instansi" in response.content.decode()


def test_user_with_one_institution_lands_on_its_dashboard(db):
    institution = InstitutionFactory(slug="mtsn-contoh")
    user = make_member(institution, Role.STAFF)
    response = client_for(user).get("/")
    assert response.status_code == 302 and response["Location"] == dashboard("mtsn-contoh")


def test_head_without_totp_is_sent_to_set_it_up(db):
    institution = InstitutionFactory()
    head = make_member(institution, Role.HEAD, totp=False)
    response = client_for(head).get(dashboard(institution.slug))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_member_without_totp_is_not_asked_for_it(db):
    institution = InstitutionFactory()
    staff = make_member(institution, Role.STAFF)
    assert client_for(staff).get(dashboard(institution.slug)).status_code == 200


def test_assessor_of_an_ancestor_opens_a_descendant_but_not_another_tree(db):
    kanwil = InstitutionFactory(kind=Institution.Kind.REGIONAL_OFFICE)
    kankemenag = InstitutionFactory(parent=kanwil, kind=Institution.Kind.DISTRICT_OFFICE)
    madrasah = InstitutionFactory(parent=kankemenag)
    other_kanwil = InstitutionFactory(kind=Institution.Kind.REGIONAL_OFFICE)
    other_madrasah = InstitutionFactory(parent=other_kanwil)
    assessor = make_member(kanwil, Role.ASSESSOR)
    client = client_for(assessor)
    assert client.get(dashboard(madrasah.slug)).status_code == 200
    assert client.get(dashboard(other_madrasah.slug)).status_code == 404
    # Statistics only: the assessor holds no case-file permission below.
    access = access_for(assessor, madrasah)
    assert access.has("reports.assess") and not access.has("sanctions.view_cases")


def test_parent_head_may_decide_escalated_cases_but_grandparent_head_may_not(db):
    kanwil = InstitutionFactory(kind=Institution.Kind.REGIONAL_OFFICE)
    kankemenag = InstitutionFactory(parent=kanwil)
    madrasah = InstitutionFactory(parent=kankemenag)
    parent_head = make_member(kankemenag, Role.HEAD)
    grandparent_head = make_member(kanwil, Role.HEAD)
    assert access_for(parent_head, madrasah).has("sanctions.decide_escalated")
    # Further up, a head only hears the appeals that climb to them (sanctions.decide_appeal_above),
    # never the escalated cases themselves.
    above = access_for(grandparent_head, madrasah)
    assert above is None or not above.has("sanctions.decide_escalated")
    assert above is None or not above.has("institution.view")


def test_paths_follow_the_tree(db):
    root = InstitutionFactory()
    child = InstitutionFactory(parent=root)
    grandchild = InstitutionFactory(parent=child)
    assert grandchild.path == f"/{root.pk}/{child.pk}/{grandchild.pk}/"
    assert grandchild.is_descendant_of(root) and not root.is_descendant_of(grandchild)
    assert grandchild.ancestor_ids() == [root.pk, child.pk]


@pytest.mark.urls("governance.tests.urls_unprotected")
def test_a_tenant_view_without_a_declared_permission_is_refused(db):
    institution = InstitutionFactory()
    user = make_member(institution, Role.HEAD)
    with pytest.raises(ImproperlyConfigured):
        client_for(user).get(f"/instansi/{institution.slug}/lupa/")


def test_pages_show_times_in_the_institutions_zone(db, unscoped):
    from governance.services import notify

    banjarbaru = InstitutionFactory(timezone=TimeZone.WITA)
    user = make_member(banjarbaru, Role.PUBLIC_RELATIONS)
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2024, 11, 24, 1, 30, tzinfo=datetime.UTC), tick=False):
        notify(recipients=[user], institution=banjarbaru, kind="test", title="Uji", email=False)
    response = client_for(user).get(reverse("governance:notifications", kwargs={"institution": banjarbaru.slug}))
    # 01.30 UTC is 09.30 in Banjarbaru (WITA, UTC+8).
    assert "9.30 WITA" in response.content.decode()
