import datetime
import io
import json
import re
from pathlib import Path

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import mfa_client
from governance import navigation, services
from governance.models import Channel, ChannelKind, CodeVersion, Publication, Role, Rule
from governance.selectors import public_code_url
from governance.tests.conftest import client_for
from governance.tests.factories import (
    ChannelFactory,
    CodeVersionFactory,
    OfficialAccountFactory,
    PublicationFactory,
    PublishedCodeFactory,
    RuleFactory,
    make_member,
)


def url(side, name, **kwargs):
    return reverse(f"governance:{name}", kwargs={"institution": side.institution.slug, **kwargs})


@pytest.fixture
def humas(side_a):
    return client_for(side_a.users[Role.PUBLIC_RELATIONS])


@pytest.fixture
def kepala(side_a):
    return client_for(side_a.users[Role.HEAD])


@pytest.fixture
def pegawai(side_a):
    return client_for(side_a.users[Role.STAFF])


# ---------------------------------------------------------------- channels


def test_the_register_lists_this_institutions_channels_and_filters_by_kind(side_a, side_b, humas):
    ChannelFactory(institution=side_a.institution, name="Grup Resmi Kami")
    OfficialAccountFactory(institution=side_a.institution, name="Instagram Kami")
    ChannelFactory(institution=side_a.institution, name="Grup Lama", is_active=False)
    ChannelFactory(institution=side_b.institution, name="Grup Instansi Lain")
    page = humas.get(url(side_a, "channel_list")).content.decode()
    assert "Grup Resmi Kami" in page and "Instagram Kami" in page
    assert "Grup Lama" not in page and "Grup Instansi Lain" not in page
    page = humas.get(url(side_a, "channel_list"), {"kind": "instagram"}).content.decode()
    assert "Instagram Kami" in page and "Grup Resmi Kami" not in page
    page = humas.get(url(side_a, "channel_list"), {"status": "archived"}).content.decode()
    assert "Grup Lama" in page and "Grup Resmi Kami" not in page


def test_only_humas_is_offered_the_register_button(side_a):
    assert "Daftarkan grup atau akun" in client_for(side_a.users[Role.PUBLIC_RELATIONS]).get(url(side_a, "channel_list")).content.decode()
    assert "Daftarkan grup atau akun" not in client_for(side_a.users[Role.OPERATOR]).get(url(side_a, "channel_list")).content.decode()


def test_registering_a_channel(side_a, humas, unscoped):
    response = humas.post(url(side_a, "channel_create"), {
        "kind": "instagram", "name": "Instagram MTsN", "link": "@mtsn.contoh", "is_official": "on",
        "purpose": "Publikasi kegiatan", "posting_target": "1", "posting_target_unit": "day",
    })
    channel = Channel.objects.get(institution=side_a.institution)
    assert response.status_code == 302 and response["Location"] == url(side_a, "channel_detail", pk=channel.pk)
    assert channel.link == "https://www.instagram.com/mtsn.contoh/" and channel.posting_target == 1


def test_a_duplicate_is_refused_in_indonesian_and_the_form_keeps_the_input(side_a, humas, unscoped):
    OfficialAccountFactory(institution=side_a.institution, name="Instagram Resmi", link="https://www.instagram.com/x/")
    response = humas.post(url(side_a, "channel_create"), {
        "kind": "instagram", "name": "Akun Kembar", "link": "@X", "is_official": "on", "posting_target_unit": "day",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah terdaftar sebagai “Instagram Resmi”" in page
    assert 'value="Akun Kembar"' in page and 'value="@X"' in page
    assert Channel.objects.count() == 1


def test_the_detail_page_shows_the_rules_for_its_kind_and_the_sections_of_other_apps(side_a, humas, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"],
                                                              Path(__file__).parent / "templates"]}]
    version = PublishedCodeFactory(institution=side_a.institution)
    RuleFactory(version=version, number="1", text="Berlaku di semua kanal.")
    RuleFactory(version=version, number="2", channel_kinds=["wa_group"], text="Khusus grup WhatsApp.")
    RuleFactory(version=version, number="3", channel_kinds=["instagram"], text="Khusus Instagram.")
    group = ChannelFactory(institution=side_a.institution, name="Grup Guru")
    navigation.register_section("channel_detail", navigation.Section(
        "test_members", "governance_test_section.html", "governance.view_channels"))
    try:
        page = humas.get(url(side_a, "channel_detail", pk=group.pk)).content.decode()
    finally:
        navigation._sections["channel_detail"].pop("test_members")
    assert "Berlaku di semua kanal." in page and "Khusus grup WhatsApp." in page
    assert "Khusus Instagram." not in page
    assert "Bagian uji untuk Grup Guru" in page


def test_archiving_keeps_the_channel_visible_with_its_history(side_a, humas, unscoped):
    channel = services.channel_register(actor=side_a.users[Role.PUBLIC_RELATIONS], institution=side_a.institution,
                                        kind=ChannelKind.WHATSAPP_GROUP, name="Grup Santai")
    response = humas.post(url(side_a, "channel_archive", pk=channel.pk))
    assert response.status_code == 302
    page = humas.get(url(side_a, "channel_detail", pk=channel.pk)).content.decode()
    assert "Diarsipkan pada" in page and "Pulihkan" in page and "didaftarkan" in page and "diarsipkan" in page
    response = humas.get(url(side_a, "channel_edit", pk=channel.pk), follow=True)
    assert "Pulihkan dulu" in response.content.decode()
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_the_activity_page_passes_the_chart_data_as_json(side_a, kepala, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution, posting_target=2)
    today = side_a.institution.local_today()
    for days_ago, count in [(1, 2), (3, 1)]:
        for i in range(count):
            PublicationFactory(channel=account, published_at=timezone.now() - datetime.timedelta(days=days_ago, minutes=i))
    start = today - datetime.timedelta(days=6)
    response = kepala.get(url(side_a, "channel_activity", pk=account.pk),
                          {"start": start.isoformat(), "end": today.isoformat(), "bucket": "day"})
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="activity-data" type="application/json">(.*?)</script>', page).group(1))
    assert len(data["labels"]) == 7 and sum(data["posts"]) == 3 and data["target"] == [2] * 7
    assert "chart.umd.min.js" in page and "js/governance.js" in page


def test_a_bad_date_range_is_explained(side_a, kepala):
    account = OfficialAccountFactory(institution=side_a.institution)
    response = kepala.get(url(side_a, "channel_activity", pk=account.pk), {"start": "2024-02-01", "end": "2024-01-01"})
    assert response.status_code == 200 and "Tanggal mulai jatuh setelah tanggal akhir" in response.content.decode()


# ---------------------------------------------------------------- codes of conduct


@pytest.fixture
def draft(side_a):
    version = CodeVersionFactory(institution=side_a.institution, number=2)
    RuleFactory(version=version, number="1", text="Dilarang menyebar hoaks.")
    return version


def test_humas_adds_a_rule_to_the_draft(side_a, humas, draft, unscoped):
    response = humas.post(url(side_a, "rule_create", pk=draft.pk), {
        "number": "2", "kind": "prohibition", "category": "politics", "severity": "3",
        "channel_kinds": ["wa_group"], "text": "Dilarang berkampanye di grup.",
    })
    assert response.status_code == 302
    rule = draft.rules.get(number="2")
    assert rule.channel_kinds == ["wa_group"] and rule.severity == 3


def test_the_head_sees_the_publish_button_and_humas_does_not(side_a, humas, kepala, draft):
    assert "Terbitkan versi 2" in kepala.get(url(side_a, "code_version_detail", pk=draft.pk)).content.decode()
    assert "Terbitkan versi 2" not in humas.get(url(side_a, "code_version_detail", pk=draft.pk)).content.decode()


def test_the_head_publishes(side_a, kepala, draft, unscoped):
    response = kepala.post(url(side_a, "code_publish", pk=draft.pk), follow=True)
    draft.refresh_from_db()
    assert draft.state == CodeVersion.State.PUBLISHED
    assert "Versi 2 sudah terbit dan berlaku" in response.content.decode()


def test_an_empty_draft_is_not_published(side_a, kepala, unscoped):
    empty = CodeVersionFactory(institution=side_a.institution)
    page = kepala.get(url(side_a, "code_version_detail", pk=empty.pk)).content.decode()
    assert "tidak dapat diterbitkan" in page and "Terbitkan versi" not in page
    response = kepala.post(url(side_a, "code_publish", pk=empty.pk), follow=True)
    assert "tanpa aturan tidak dapat diterbitkan" in response.content.decode()
    empty.refresh_from_db()
    assert empty.state == CodeVersion.State.DRAFT


def test_a_published_version_offers_no_form_and_its_endpoints_refuse(side_a, humas, unscoped):
    version = PublishedCodeFactory(institution=side_a.institution)
    rule = RuleFactory(version=version, number="1", text="Teks asli.")
    page = humas.get(url(side_a, "code_version_detail", pk=version.pk)).content.decode()
    assert "Ubah aturan" not in page and "Tambah aturan" not in page and "Batalkan draf" not in page
    attempts = [
        humas.get(url(side_a, "rule_create", pk=version.pk)),
        humas.post(url(side_a, "rule_create", pk=version.pk), {"number": "9", "kind": "prohibition",
                                                               "category": "other", "severity": "2", "text": "Baru"}),
        humas.get(url(side_a, "rule_edit", pk=rule.pk)),
        humas.post(url(side_a, "rule_edit", pk=rule.pk), {"number": "1", "kind": "prohibition", "category": "other",
                                                          "severity": "2", "text": "Diubah"}),
        humas.post(url(side_a, "rule_remove", pk=rule.pk)),
        humas.post(url(side_a, "code_version_edit", pk=version.pk), {"title": "Judul baru"}),
        humas.post(url(side_a, "code_discard", pk=version.pk)),
    ]
    for response in attempts:
        assert response.status_code == 409
        assert "Versi ini tidak dapat diubah" in response.content.decode()
    rule.refresh_from_db()
    version.refresh_from_db()
    assert rule.text == "Teks asli." and version.rules.count() == 1 and version.title != "Judul baru"


def test_staff_read_the_code_in_force_but_never_a_draft(side_a, pegawai, draft):
    current = PublishedCodeFactory(institution=side_a.institution, number=1)
    RuleFactory(version=current, number="1", text="Jaga sopan santun di grup.")
    page = pegawai.get(url(side_a, "code_versions")).content.decode()
    assert "Jaga sopan santun di grup." in page and "Draf versi 2" not in page
    assert pegawai.get(url(side_a, "code_version_detail", pk=draft.pk)).status_code == 404
    assert pegawai.get(url(side_a, "code_version_diff", pk=draft.pk)).status_code == 404


def test_the_version_page_renders_the_sections_of_other_apps(side_a, pegawai, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"],
                                                              Path(__file__).parent / "templates"]}]
    current = PublishedCodeFactory(institution=side_a.institution, number=7)
    navigation.register_section("code_version", navigation.Section(
        "test_ack", "governance_test_section.html", "governance.view_code"))
    try:
        page = pegawai.get(url(side_a, "code_version_detail", pk=current.pk)).content.decode()
    finally:
        navigation._sections["code_version"].pop("test_ack")
    assert "Bagian uji untuk 7" in page


def test_the_diff_page_shows_what_changed(side_a, humas, unscoped):
    humas_user = side_a.users[Role.PUBLIC_RELATIONS]
    version = services.code_start_from_template(actor=humas_user, institution=side_a.institution,
                                                template_key="kemenag_neutrality")
    services.code_publish(actor=side_a.users[Role.HEAD], version=version)
    draft = services.code_version_start(actor=humas_user, institution=side_a.institution)
    services.rule_update(actor=humas_user, rule=draft.rules.get(number="5"), text="Gunakan grup untuk kerukunan.")
    services.rule_remove(actor=humas_user, rule=draft.rules.get(number="4"))
    page = humas.get(url(side_a, "code_version_diff", pk=draft.pk)).content.decode()
    assert "0 ditambahkan, 1 dihapus, 1 diubah" in page
    assert '<ins class="diff-ins">kerukunan.</ins>' in page and '<del class="diff-del">' in page


def test_the_template_page_lists_every_regime_with_its_source(side_a, humas, unscoped):
    page = humas.get(url(side_a, "code_templates")).content.decode()
    for source in ["8 Agustus 2020", "30 November 2020", "7 Februari 2025", "Bijak Bermedia Sosial", "23 Oktober 2024"]:
        assert source in page
    assert "Cocok untuk instansi ini" in page  # the side is a madrasah
    response = humas.post(url(side_a, "code_templates"), {"template": "djpb"})
    version = CodeVersion.objects.get(institution=side_a.institution)
    assert response["Location"] == url(side_a, "code_version_detail", pk=version.pk)
    assert version.rules.count() == 14


def test_an_unknown_template_is_refused(side_a, humas):
    response = humas.post(url(side_a, "code_templates"), {"template": "tidak-ada"}, follow=True)
    assert "Templat tidak dikenal" in response.content.decode()


def test_a_child_adopts_and_sees_where_rules_come_from(side_a, humas, unscoped):
    parent = side_a.parent
    parent_humas = make_member(parent, Role.PUBLIC_RELATIONS)
    services.code_publish(actor=side_a.parent_users[Role.HEAD], version=services.code_start_from_template(
        actor=parent_humas, institution=parent, template_key="pemasyarakatan"))
    page = humas.get(url(side_a, "code_versions")).content.decode()
    assert "Kanwil a telah menerbitkan kode etik versi" in page and "Adopsi versi" in page
    response = humas.post(url(side_a, "code_adopt"), follow=True)
    page = response.content.decode()
    assert "berisi aturan instansi induk" in page
    assert "Dari kode etik Kanwil a (versi" in page
    assert "Ubah aturan 1" not in page


# ---------------------------------------------------------------- public page and QR code


def test_the_public_page_needs_no_sign_in_and_shows_no_personal_data(side_a, unscoped):
    head = side_a.users[Role.HEAD]
    version = services.code_start_from_template(actor=side_a.users[Role.PUBLIC_RELATIONS], institution=side_a.institution,
                                                template_key="madrasah_wa_group")
    services.code_publish(actor=head, version=version)
    response = Client().get(url(side_a, "public_code"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tata Tertib Grup WhatsApp Resmi Madrasah" in page
    assert page.index("Larangan") < page.index("Anjuran") < page.index("Kebolehan")
    assert "8 Agustus 2020" in page and "kode-etik/qr.svg" in page and "data-print" in page
    for user in side_a.users.values():
        assert user.email not in page and user.full_name not in page


def test_the_public_page_without_a_code_says_so(side_a):
    response = Client().get(url(side_a, "public_code"))
    assert response.status_code == 200 and "belum menerbitkan kode etiknya" in response.content.decode()


def test_the_qr_code_svg_and_png_encode_the_public_address(side_a, settings):
    settings.SANTUN_SITE_URL = "https://santun.contoh.go.id"
    expected = f"https://santun.contoh.go.id/instansi/{side_a.institution.slug}/kode-etik/"
    assert public_code_url(side_a.institution) == expected
    qr = segno.make(expected, error="m", micro=False)
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=8, border=2, xmldecl=True, title=expected)
    response = Client().get(url(side_a, "public_code_qr_svg"))
    assert response["Content-Type"] == "image/svg+xml" and response.content == svg.getvalue()
    png = io.BytesIO()
    qr.save(png, kind="png", scale=10, border=2)
    response = Client().get(url(side_a, "public_code_qr_png"), {"unduh": "1"})
    assert response["Content-Type"] == "image/png" and response.content == png.getvalue()
    assert response["Content-Disposition"] == f'attachment; filename="kode-etik-{side_a.institution.slug}.png"'


# ---------------------------------------------------------------- publication log


def test_logging_a_post_by_hand(side_a, humas, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution)
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=2), side_a.institution.tzinfo)
    response = humas.post(url(side_a, "publication_create"), {
        "channel": account.pk, "published_at": when.strftime("%Y-%m-%dT%H:%M"), "topic": "Vaksinasi",
        "link": "https://www.instagram.com/p/xyz/", "source_verified": "on", "content_true": "on",
        "nothing_confidential": "on", "neutral": "on", "caption_matches": "on",
        "reviewed_by": side_a.users[Role.HEAD].pk,
    })
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.check_complete and publication.reviewed_by == side_a.users[Role.HEAD]
    assert publication.published_at == when.replace(second=0, microsecond=0)


def test_the_reviewer_must_be_a_member_and_groups_are_not_accounts(side_a, side_b, humas):
    account = OfficialAccountFactory(institution=side_a.institution)
    group = ChannelFactory(institution=side_a.institution, name="Grup Resmi")
    form = humas.get(url(side_a, "publication_create")).context["form"]
    assert list(form.fields["channel"].queryset) == [account]
    assert side_b.users[Role.PUBLIC_RELATIONS] not in form.fields["reviewed_by"].queryset
    assert side_a.users[Role.STAFF] in form.fields["reviewed_by"].queryset
    assert group not in form.fields["channel"].queryset


def test_a_future_post_is_refused_with_a_message(side_a, humas):
    account = OfficialAccountFactory(institution=side_a.institution)
    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    page = humas.post(url(side_a, "publication_create"), {
        "channel": account.pk, "published_at": tomorrow.strftime("%Y-%m-%dT%H:%M"), "topic": "Besok",
    }).content.decode()
    assert "Tanggal ini belum terjadi" in page and 'value="Besok"' in page


def test_the_log_lists_and_filters_posts_and_hides_other_institutions(side_a, side_b, kepala):
    mine = OfficialAccountFactory(institution=side_a.institution, name="Akun Satu")
    other = OfficialAccountFactory(institution=side_a.institution, name="Akun Dua")
    PublicationFactory(channel=mine, topic="Topik akun satu")
    PublicationFactory(channel=other, topic="Topik akun dua")
    PublicationFactory(channel=OfficialAccountFactory(institution=side_b.institution), topic="Topik instansi lain")
    page = kepala.get(url(side_a, "publication_list")).content.decode()
    assert "Topik akun satu" in page and "Topik akun dua" in page and "Topik instansi lain" not in page
    assert "Catat unggahan" not in page  # the head reads the log; Humas keeps it
    page = kepala.get(url(side_a, "publication_list"), {"channel": mine.pk}).content.decode()
    assert "Topik akun satu" in page and "Topik akun dua" not in page


def test_editing_and_removing_a_logged_post(side_a, humas, unscoped):
    publication = PublicationFactory(channel=OfficialAccountFactory(institution=side_a.institution), topic="Lama")
    form = humas.get(url(side_a, "publication_edit", pk=publication.pk)).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v not in (None, False)}, "topic": "Baru",
            "channel": publication.channel_id,
            "published_at": timezone.localtime(publication.published_at).strftime("%Y-%m-%dT%H:%M")}
    data.pop("reviewed_by", None)
    assert humas.post(url(side_a, "publication_edit", pk=publication.pk), data).status_code == 302
    publication.refresh_from_db()
    assert publication.topic == "Baru"
    assert humas.post(url(side_a, "publication_delete", pk=publication.pk)).status_code == 302
    assert not Publication.objects.exists()


def test_the_attainment_page(side_a, kepala, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution, name="Instagram Dinas", posting_target=1)
    today = side_a.institution.local_today()
    start = today - datetime.timedelta(days=3)
    PublicationFactory(channel=account, published_at=timezone.now() - datetime.timedelta(days=1))
    page = kepala.get(url(side_a, "publication_attainment"),
                      {"start": start.isoformat(), "end": today.isoformat()}).content.decode()
    assert "Instagram Dinas" in page and "25%" in page


@pytest.mark.parametrize(("weekday", "posted", "shown"), [
    (0, 0, "Pekan ini: 0 dari 1 unggahan"),  # Monday: 6/7 of a post is due, so one post is
    (3, 2, "Pekan ini: 2 dari 4 unggahan"),  # Thursday: 6 × 4/7 = 3.4, so four are due
])
def test_the_dashboard_counts_the_posts_due_this_week_in_whole_posts(side_a, kepala, unscoped, weekday, posted, shown):
    import time_machine

    today = side_a.institution.local_today()
    day = today + datetime.timedelta(days=7 - today.weekday() + weekday)  # in a week to come
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), side_a.institution.tzinfo), tick=False):
        account = OfficialAccountFactory(institution=side_a.institution, posting_target=6,
                                         posting_target_unit=Channel.TargetUnit.WEEK)
        for i in range(posted):
            PublicationFactory(channel=account, published_at=timezone.now() - datetime.timedelta(hours=i + 1))
        page = kepala.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    assert shown in page and "0,9" not in page and "3,4" not in page


# ---------------------------------------------------------------- navigation and dashboard


def test_menu_items_follow_the_roles(side_a, humas, pegawai):
    page = humas.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    for label in ("Grup dan Akun", "Kode Etik", "Log Publikasi"):
        assert label in page
    page = pegawai.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    assert "Kode Etik" in page and "Grup dan Akun" not in page and "Log Publikasi" not in page


def test_the_dashboard_panel_for_humas_and_the_head(side_a, humas, kepala, pegawai, unscoped):
    version = PublishedCodeFactory(institution=side_a.institution, number=3)
    RuleFactory(version=version)
    OfficialAccountFactory(institution=side_a.institution, posting_target=1)
    ChannelFactory(institution=side_a.institution)
    for client in (humas, kepala):
        page = client.get(f"/instansi/{side_a.institution.slug}/").content.decode()
        assert "Kode etik versi 3" in page and "1 grup, 1 akun resmi" in page and "Pekan ini:" in page
    assert "Kode etik versi 3" not in pegawai.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    # In English one of a kind is singular, more are plural.
    head = side_a.users[Role.HEAD]
    head.language = "en"
    head.save(update_fields=["language"])
    page = kepala.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    assert "1 group, 1 official account" in page and "This week: 0 posts of " in page
    ChannelFactory(institution=side_a.institution)
    page = kepala.get(f"/instansi/{side_a.institution.slug}/").content.decode()
    assert "2 groups, 1 official account" in page


def test_rules_are_deleted_only_from_drafts(side_a, humas, draft, unscoped):
    rule = draft.rules.get()
    assert humas.post(url(side_a, "rule_remove", pk=rule.pk)).status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_platform_operators_enter_an_election_period_in_the_admin(db, no_election_periods, unscoped):
    from governance.models import AuditEntry, ElectionPeriod
    from governance.tests.factories import UserFactory

    operator = UserFactory(is_staff=True, is_superuser=True)
    client = mfa_client(operator)
    data = {"name": "Pilkada Ulang Contoh", "kind": "pilkada", "coverage": "regency", "region_codes": "16.03, 16.08",
            "campaign_starts_on": "2030-09-01", "campaign_ends_on": "2030-09-20", "quiet_starts_on": "2030-09-21",
            "quiet_ends_on": "2030-09-23", "voting_day": "2030-09-24", "candidate_names": "", "campaign_terms": "coblos"}
    response = client.post("/admin/governance/electionperiod/add/", data)
    assert response.status_code == 302
    assert ElectionPeriod.objects.get().region_codes == ["16.03", "16.08"]
    # The admin saves through the same audited service as Santun's own pages.
    assert AuditEntry.objects.filter(action="governance.election.entered", actor=operator).count() == 1
    response = client.post("/admin/governance/electionperiod/add/", {**data, "name": "Salah", "region_codes": "16"})
    assert response.status_code == 200 and ElectionPeriod.objects.count() == 1


def test_the_admin_cannot_change_a_code_version(db, unscoped):
    from governance.tests.factories import UserFactory

    version = PublishedCodeFactory()
    client = mfa_client(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/governance/codeversion/{version.pk}/change/").status_code == 200
    response = client.post(f"/admin/governance/codeversion/{version.pk}/change/", {"title": "Diubah"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.title != "Diubah"
