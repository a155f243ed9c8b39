"""A change to any row an institution owns moves the data version of that institution and its
ancestors, so no page keeps showing what it cached before the change."""

from django.apps import apps

from governance.cache import data_version
from governance.scoping import institution_id_of
from governance.tests.factories import InstitutionFactory, PublishedCodeFactory
from members.models import Acknowledgement
from members.tests.factories import StaffMemberFactory

SANTUN_APPS = {"governance", "members", "sanctions", "triage", "reports"}
# Rows that belong to no single institution: the tree itself, accounts, the election calendar and
# the trail (handled on their own in governance.invalidation).
NOT_OWNED = {"governance.user", "governance.institution", "governance.electionperiod", "governance.auditchain"}


def test_every_model_says_which_institution_owns_its_rows():
    unowned = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in SANTUN_APPS or label in NOT_OWNED:
            continue
        if not any(f.name == "institution" for f in model._meta.fields) and \
                not getattr(model._default_manager, "institution_path", None):
            unowned.append(label)
    assert unowned == []


def test_a_row_reached_through_its_parent_moves_the_versions_up_the_tree(db, unscoped):
    kanwil = InstitutionFactory(slug="kanwil")
    madrasah = InstitutionFactory(slug="mtsn", parent=kanwil)
    other = InstitutionFactory(slug="lain")
    staff = StaffMemberFactory(institution=madrasah)
    code = PublishedCodeFactory(institution=madrasah)
    before = {i.pk: data_version(i.pk) for i in (kanwil, madrasah, other)}
    acknowledgement = Acknowledgement.objects.create(staff=staff, version=code)
    assert institution_id_of(acknowledgement) == madrasah.pk
    after = {i.pk: data_version(i.pk) for i in (kanwil, madrasah, other)}
    assert after[madrasah.pk] != before[madrasah.pk] and after[kanwil.pk] != before[kanwil.pk]
    assert after[other.pk] == before[other.pk]
