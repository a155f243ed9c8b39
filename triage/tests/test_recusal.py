"""Recusal in chat-export triage: Humas does not handle the flag on a message they wrote themselves
(dismiss, reopen or report it); a colleague does."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import Membership, Role
from governance.tenancy import access_for
from governance.tests.factories import make_member
from members.models import StaffMember
from sanctions.tests.conftest import plain_client
from sanctions.tests.factories import staff_for
from triage import selectors, services
from triage.models import ChatFlag
from triage.tests.factories import CHAT_PHONE, chat_bytes, imported_chat

# Humas (from the number below) forwards a hoax in the group.
LINES = [
    "13/11/24 06.45 - Budi Santoso: Assalamualaikum bapak ibu guru, rapat dinas besok pukul 08.00 di ruang guru.",
    "13/11/24 19.40 - +62 812-3456-7890: Info: madrasah libur seminggu krn banjir.",
    "Sebarkan sebelum dihapus!!",
    "13/11/24 19.41 - Bu Rina :): Benarkah itu pak? Belum ada surat dari kantor",
]


@pytest.fixture
def own_flag(world):
    inst, humas = world.institution, world.users["humas"]
    StaffMember.objects.filter(pk=staff_for(humas, inst).pk).update(phone=CHAT_PHONE)
    world.colleague = make_member(inst, Role.PUBLIC_RELATIONS, email="humas2.triase@contoh.test")
    Membership.objects.filter(user=world.colleague).update(starts_on=datetime.date(2020, 1, 1))
    chat_import = imported_chat(inst, humas=humas, channel=world.channel, data=chat_bytes(LINES))
    flag = next(f for f in ChatFlag.objects.filter(chat_import=chat_import) if "sebarkan sebelum dihapus" in f.terms)
    assert flag.message.author.staff.user == humas
    world.chat_import, world.flag = chat_import, flag
    return world


def test_humas_is_offered_nothing_on_the_flag_of_their_own_message_and_is_refused(own_flag):
    humas, flag, inst = own_flag.users["humas"], own_flag.flag, own_flag.institution
    page = plain_client(humas).get(reverse("triage:chat_triage", kwargs={"institution": inst.slug,
                                                                          "pk": own_flag.chat_import.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("triage:chat_flag_report", kwargs={"institution": inst.slug, "pk": flag.pk}) not in body
    assert reverse("triage:chat_flag_dismiss", kwargs={"institution": inst.slug, "pk": flag.pk}) not in body
    with pytest.raises(ValidationError) as refused:
        services.chat_flag_dismiss(actor=humas, flag=flag, reason="Hanya bercanda.")
    assert refused.value.code == "recusal"
    flag.refresh_from_db()
    assert flag.state == "open" and flag.decided_by is None

    response = plain_client(humas).post(
        reverse("triage:chat_flag_dismiss", kwargs={"institution": inst.slug, "pk": flag.pk}),
        {"reason": "Hanya bercanda."}, follow=True)
    assert "Pesan ini Anda tulis sendiri" in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == "open"


def test_a_colleague_handles_the_flag(own_flag):
    colleague, flag = own_flag.colleague, own_flag.flag
    assert {"dismiss", "report"} <= selectors.flag_actions(access_for(colleague, own_flag.institution), flag,
                                                           user=colleague)
    services.chat_flag_dismiss(actor=colleague, flag=flag, reason="Sudah diklarifikasi di grup.")
    flag.refresh_from_db()
    assert flag.state == "dismissed" and flag.decided_by == colleague
