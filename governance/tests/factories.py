"""Factories for the tenant tree, users and roles. Other apps' factories build on these."""

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from governance.models import Channel, ChannelKind, Institution, Membership, Role, TimeZone, User

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
    role = Role.PEGAWAI


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    institution = factory.SubFactory(InstitutionFactory)
    kind = ChannelKind.WHATSAPP_GROUP
    name = factory.Sequence(lambda n: f"Grup Resmi {n}")
    link = factory.Sequence(lambda n: f"https://chat.whatsapp.com/contoh{n}")


def give_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)


def make_member(institution: Institution, role: str, *, totp: bool | None = None, **user_fields) -> User:
    """A user holding ``role`` at ``institution``; heads and assessors get TOTP unless told not to."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, institution=institution, role=role)
    if totp if totp is not None else role in (Role.KEPALA, Role.PENILAI):
        give_totp(user)
    return user
