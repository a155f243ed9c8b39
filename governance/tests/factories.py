"""Factories for the tenant tree, users and roles. Other apps' factories build on these."""

import datetime

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from governance.models import (
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionPeriod,
    Institution,
    Membership,
    Publication,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
    TimeZone,
    User,
)
from governance.permissions import MFA_ROLES

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"orang{n}@contoh.test")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"MTs Negeri {n} Contoh")
    slug = factory.Sequence(lambda n: f"instansi-{n}")
    kind = Institution.Kind.MADRASAH
    timezone = TimeZone.WIB
    province_code = "16"
    regency_code = "16.03"
    letter_unit_code = "Mts.06.03.1"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.STAFF


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    institution = factory.SubFactory(InstitutionFactory)
    kind = ChannelKind.WHATSAPP_GROUP
    name = factory.Sequence(lambda n: f"Grup Resmi {n}")
    link = factory.Sequence(lambda n: f"https://chat.whatsapp.com/contoh{n}")


class OfficialAccountFactory(ChannelFactory):
    kind = ChannelKind.INSTAGRAM
    name = factory.Sequence(lambda n: f"Instagram Resmi {n}")
    link = factory.Sequence(lambda n: f"https://www.instagram.com/akunresmi{n}/")
    posting_target = 1


class CodeVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeVersion

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Kode Etik Bermedia Sosial"
    state = CodeVersion.State.DRAFT


class PublishedCodeFactory(CodeVersionFactory):
    state = CodeVersion.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    version = factory.SubFactory(CodeVersionFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    category = RuleCategory.HOAX
    kind = RuleKind.PROHIBITION
    text = factory.Sequence(lambda n: f"Dilarang menyebarkan kabar bohong nomor {n}.")
    position = factory.Sequence(lambda n: n)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    channel = factory.SubFactory(OfficialAccountFactory)
    institution = factory.SelfAttribute("channel.institution")
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    topic = factory.Sequence(lambda n: f"Layanan publik {n}")


class ElectionPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElectionPeriod

    name = factory.Sequence(lambda n: f"Pilkada Uji {n}")
    kind = ElectionPeriod.Kind.PILKADA
    coverage = ElectionPeriod.Coverage.NATIONAL
    campaign_starts_on = datetime.date(2030, 9, 1)
    campaign_ends_on = datetime.date(2030, 9, 20)
    quiet_starts_on = datetime.date(2030, 9, 21)
    quiet_ends_on = datetime.date(2030, 9, 23)
    voting_day = datetime.date(2030, 9, 24)


def give_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)


def make_member(institution: Institution, role: str, *, totp: bool | None = None, **user_fields) -> User:
    """A user holding ``role`` at ``institution``; heads and assessors get TOTP unless told not to."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, institution=institution, role=role)
    if totp if totp is not None else role in MFA_ROLES:
        give_totp(user)
    return user
