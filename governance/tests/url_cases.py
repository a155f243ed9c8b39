import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from governance.models import (
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionPeriod,
    Notification,
    Publication,
    Rule,
    RuleCategory,
)
from tests.urlwalk import ALL_MEMBER_ROLES, EVERY_ROLE, UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = {"security_txt", "switch_language", "my_data_account", "my_data_account_download"}
# Non-tenant pages of the platform operators (platform_urls.py): superusers only, name → kwargs.
PLATFORM_NON_TENANT = {
    "platform_election_list": lambda o: {},
    "platform_election_create": lambda o: {},
    "platform_election_edit": lambda o: {"pk": o["gov_election"].pk},
}
PLATFORM_NON_TENANT_POST = {"platform_election_delete": lambda o: {"pk": o["gov_election"].pk}}

HUMAS = frozenset({"humas"})
KEPALA = frozenset({"kepala"})
OPERATOR = frozenset({"operator"})
VIEW_CHANNELS = frozenset({"kepala", "humas", "operator"})
VIEW_PUBLICATIONS = frozenset({"kepala", "humas"})
SETTINGS = frozenset({"kepala", "operator"})
POSTED = frozenset({302})


def objects(side) -> dict:
    institution = side.institution
    kepala = side.users["kepala"]
    notification = Notification.objects.create(
        recipient=kepala, institution=institution, kind="test", title="Ada laporan baru", url=""
    )
    now = timezone.now()
    account = Channel.objects.create(
        institution=institution, kind=ChannelKind.INSTAGRAM, name="Instagram resmi",
        link="https://www.instagram.com/akun.resmi/", posting_target=1,
    )
    archived = Channel.objects.create(
        institution=institution, kind=ChannelKind.WHATSAPP_GROUP, name="Grup lama",
        link="https://chat.whatsapp.com/GrupLamaContoh1", is_active=False, archived_at=now,
    )
    published = CodeVersion.objects.create(institution=institution, number=1, title="Kode etik", state="published",
                                           published_at=now)
    Rule.objects.create(version=published, number="1", category=RuleCategory.POLITICS, text="Dilarang berkampanye.")
    draft = CodeVersion.objects.create(institution=institution, number=2, title="Kode etik", state="draft")
    draft_rule = Rule.objects.create(version=draft, number="1", category=RuleCategory.HOAX, text="Dilarang menyebar hoaks.")
    publication = Publication.objects.create(
        institution=institution, channel=account, published_at=now - datetime.timedelta(hours=2), topic="Layanan publik",
    )
    checked_publication = Publication.objects.create(
        institution=institution, channel=account, topic="Rapat koordinasi", state=Publication.State.CHECKED,
        source_verified=True, content_true=True, nothing_confidential=True, neutral=True, caption_matches=True,
        checked_at=now, checked_before_publishing=True,
    )
    election = ElectionPeriod.objects.create(
        name=f"Pilkades serentak {institution.slug}", kind=ElectionPeriod.Kind.PILKADES,
        coverage=ElectionPeriod.Coverage.REGENCY, region_codes=[institution.regency_code or "16.03"], owner=institution,
        campaign_starts_on=datetime.date(2099, 3, 1), campaign_ends_on=datetime.date(2099, 3, 20),
        quiet_starts_on=datetime.date(2099, 3, 21), quiet_ends_on=datetime.date(2099, 3, 23),
        voting_day=datetime.date(2099, 3, 24),
    )
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(png, "PNG")
    logo = default_storage.save(f"logos/{institution.pk}/logo.png", ContentFile(png.getvalue()))
    type(institution).objects.filter(pk=institution.pk).update(logo=logo)
    return {
        "gov_election": election,
        "notification": notification, "gov_account": account, "gov_archived": archived, "gov_published": published,
        "gov_draft": draft, "gov_draft_rule": draft_rule, "gov_publication": publication,
        "gov_checked_publication": checked_publication,
    }


def _pk(key):
    return lambda o: {"pk": o[key].pk}


CASES = [
    UrlCase("governance:dashboard", roles=EVERY_ROLE, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase("governance:notifications", roles=ALL_MEMBER_ROLES | {"penilai"}, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase(
        "governance:notification_open", roles=frozenset({"kepala"}), method="post",
        kwargs=lambda o: {"pk": o["notification"].pk}, ok=frozenset({302}), forbidden=404,
    ),
    UrlCase("governance:audit_log", roles=frozenset({"kepala"})),
    UrlCase("governance:audit_log_csv", roles=frozenset({"kepala"})),
    UrlCase("governance:audit_log_jsonl", roles=frozenset({"kepala"})),
    UrlCase("governance:my_data", roles=ALL_MEMBER_ROLES | {"penilai"}, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase("governance:my_settings", roles=ALL_MEMBER_ROLES | {"penilai"}, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase("governance:my_data_download", roles=ALL_MEMBER_ROLES | {"penilai"},
            parent_roles=frozenset({"kepala", "penilai"})),
    # The institution's settings.
    UrlCase("governance:settings_profile", roles=SETTINGS),
    UrlCase("governance:settings_logo", roles=SETTINGS),
    UrlCase("governance:settings_letters", roles=SETTINGS),
    UrlCase("governance:settings_letters_preview", roles=SETTINGS),
    # Groups and official accounts.
    UrlCase("governance:channel_list", roles=VIEW_CHANNELS),
    UrlCase("governance:channel_create", roles=HUMAS),
    UrlCase("governance:channel_detail", roles=VIEW_CHANNELS, kwargs=_pk("gov_account")),
    UrlCase("governance:channel_edit", roles=HUMAS, kwargs=_pk("gov_account")),
    UrlCase("governance:channel_archive", roles=HUMAS, kwargs=_pk("gov_account"), method="post", ok=POSTED),
    UrlCase("governance:channel_restore", roles=HUMAS, kwargs=_pk("gov_archived"), method="post", ok=POSTED),
    UrlCase("governance:channel_activity", roles=VIEW_PUBLICATIONS, kwargs=_pk("gov_account")),
    # Codes of conduct.
    UrlCase("governance:public_code", public=True),
    UrlCase("governance:public_code_qr_svg", public=True),
    UrlCase("governance:public_code_qr_png", public=True),
    UrlCase("governance:code_versions", roles=EVERY_ROLE),
    UrlCase("governance:code_version_start", roles=HUMAS, method="post", ok=POSTED),
    UrlCase("governance:code_templates", roles=HUMAS),
    UrlCase("governance:code_adopt", roles=HUMAS, method="post", ok=POSTED),
    UrlCase("governance:code_version_detail", roles=EVERY_ROLE, kwargs=_pk("gov_published")),
    UrlCase("governance:code_version_diff", roles=EVERY_ROLE, kwargs=_pk("gov_published")),
    UrlCase("governance:code_version_edit", roles=HUMAS, kwargs=_pk("gov_draft")),
    UrlCase("governance:rule_create", roles=HUMAS, kwargs=_pk("gov_draft")),
    UrlCase("governance:code_publish", roles=KEPALA, kwargs=_pk("gov_draft"), method="post", ok=POSTED),
    UrlCase("governance:code_discard", roles=HUMAS, kwargs=_pk("gov_draft"), method="post", ok=POSTED),
    UrlCase("governance:rule_edit", roles=HUMAS, kwargs=_pk("gov_draft_rule")),
    UrlCase("governance:rule_remove", roles=HUMAS, kwargs=_pk("gov_draft_rule"), method="post", ok=POSTED),
    # Election periods.
    UrlCase("governance:election_list", roles=VIEW_CHANNELS),
    UrlCase("governance:election_create", roles=OPERATOR),
    UrlCase("governance:election_edit", roles=OPERATOR, kwargs=_pk("gov_election")),
    UrlCase("governance:election_delete", roles=OPERATOR, kwargs=_pk("gov_election"), method="post", ok=POSTED),
    # Publication log.
    UrlCase("governance:publication_list", roles=VIEW_PUBLICATIONS),
    UrlCase("governance:publication_create", roles=HUMAS),
    UrlCase("governance:publication_import", roles=HUMAS),
    UrlCase("governance:publication_import_sample", roles=HUMAS),
    UrlCase("governance:publication_attainment", roles=VIEW_PUBLICATIONS),
    UrlCase("governance:publication_draft", roles=HUMAS),
    UrlCase("governance:publication_check", roles=HUMAS, kwargs=_pk("gov_publication")),
    UrlCase("governance:publication_publish", roles=HUMAS, kwargs=_pk("gov_checked_publication")),
    UrlCase("governance:publication_edit", roles=HUMAS, kwargs=_pk("gov_publication")),
    UrlCase("governance:publication_delete", roles=HUMAS, kwargs=_pk("gov_publication"), method="post", ok=POSTED),
]
