"""Factories for people, their groups and acknowledgements (build on governance's)."""

import datetime

import factory
from django.utils import timezone

from governance.models import CodeVersion, Rule, RuleCategory
from governance.tests.factories import ChannelFactory, InstitutionFactory
from members.models import Acknowledgement, GroupMembership, ImportJob, Invitation, StaffMember


def nip_for(serial: int, *, sex: str = "1", birth: datetime.date = datetime.date(1980, 5, 17)) -> str:
    return f"{birth:%Y%m%d}200503{sex}{serial % 999 + 1:03d}"


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    institution = factory.SubFactory(InstitutionFactory)
    full_name = factory.Sequence(lambda n: f"Pegawai Contoh {n}, S.Pd.")
    nip = factory.Sequence(lambda n: f"{1970 + n % 25}0{1 + n % 9}1{n % 9}20{10 + n % 10}0{1 + n % 9}1{n % 999 + 1:03d}")
    status = StaffMember.Status.PNS
    position = "Guru"
    phone = factory.Sequence(lambda n: f"+62812{10000000 + n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    channel = factory.SubFactory(ChannelFactory)
    staff = factory.SubFactory(StaffMemberFactory, institution=factory.SelfAttribute("..channel.institution"))
    role = GroupMembership.Role.MEMBER


class CodeVersionFactory(factory.django.DjangoModelFactory):
    """A published version by default; tests create versions directly (publishing is governance's)."""

    class Meta:
        model = CodeVersion

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Kode Etik Bermedia Sosial"
    state = CodeVersion.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    version = factory.SubFactory(CodeVersionFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    category = RuleCategory.HOAX
    text = "Saring sebelum sharing: jangan meneruskan kabar yang belum jelas sumbernya."


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acknowledgement

    staff = factory.SubFactory(StaffMemberFactory)
    version = factory.SubFactory(CodeVersionFactory, institution=factory.SelfAttribute("..staff.institution"))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    staff = factory.SubFactory(StaffMemberFactory)
    institution = factory.SelfAttribute("staff.institution")
    email = factory.Sequence(lambda n: f"undangan{n}@contoh.test")
    token_hash = factory.Sequence(lambda n: f"{n:064d}")


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    institution = factory.SubFactory(InstitutionFactory)
    state = ImportJob.State.REFUSED
    counts = factory.LazyFunction(lambda: {"new": 0, "changed": 0, "unchanged": 0, "error": 1, "rows": 1})
    rows = factory.LazyFunction(lambda: [[2, "error", "Contoh", ["kolom NIP: salah"]]])
