"""A province-scale data set for load tests and benchmarks (``manage.py generate_province``).

One Kanwil-like assessor institution at the top, district/city offices (Kankemenag) below it and
madrasahs and other units below those; per institution about 100 staff, 4 channels (two WhatsApp
groups, an Instagram and a Facebook account), a superseded and a published code of conduct with
acknowledgements, a publication log, group memberships, the default SP1 → SP2 → removal ladder and
400 violation reports spread over every state of the case file (reports, measures at every ladder
level, warning letters for approved letter measures, removal tasks, objections, referrals). The
top institution assesses its subtree: a finalized previous semester and a current one in scoring.

Speed: on PostgreSQL rows are written with ``COPY`` (primary keys reserved from the sequence first),
elsewhere with ``bulk_create`` in large batches; only the steps whose side effects matter — the ladder and the assessment periods —
go through the services, which write their audit entries as usual. The bulk rows carry no audit
history of their own: they are an initial load, like an import from an older system. The audit
chains therefore stay consistent and ``manage.py verify_audit`` passes on a generated database.

It lives in the reports app because it writes every app's models (apps import only apps to their
left; reports is the rightmost).
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from governance.demo import DEMO_TOTP_SECRET
from governance.links import link_key
from governance.models import (
    Channel,
    ChannelKind,
    CodeVersion,
    Institution,
    Membership,
    Publication,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
    User,
)
from governance.tenancy import institution_scope, platform_scope, subtree_scope
from members.models import Acknowledgement, GroupMembership, StaffMember
from sanctions import services as sanction_services
from sanctions.models import (
    CaseNote,
    DeliveryMethod,
    LadderLevel,
    LetterSequence,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    ReferralTrack,
    RemovalState,
    RemovalTask,
    ReportSource,
    ReportState,
    ViolationReport,
    WarningLetter,
)
from sanctions.numbering import warning_letter_number
from sanctions.services import VERIFICATION_ALPHABET, VERIFICATION_LENGTH

from . import selectors, services
from .models import Answer, AssessorScore, Entry

STAFF_PER_INSTITUTION = 100
CHANNELS_PER_INSTITUTION = 4
REPORTS_PER_INSTITUTION = 400
POSTS_PER_ACCOUNT = 12
ASSESSORS = 3
BATCH = 5000
DEFAULT_PASSWORD = "santun-bench"
ROLE_USERS = (Role.HEAD, Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF)

# Twenty case scenarios, repeated: every report, measure, removal, objection and referral state
# occurs in every institution. (report state, measure state, ladder position, extra)
SCENARIOS = [
    (ReportState.SUBMITTED, None, None, ""),
    (ReportState.SUBMITTED, None, None, "priority"),
    (ReportState.IN_REVIEW, None, None, "note"),
    (ReportState.IN_REVIEW, None, None, ""),
    (ReportState.DISMISSED, None, None, ""),
    (ReportState.DISMISSED, None, None, "note"),
    (ReportState.DISMISSED, None, None, ""),
    (ReportState.CONFIRMED, None, None, "referral_closed"),
    (ReportState.CONFIRMED, MeasureState.PROPOSED, 1, ""),
    (ReportState.CONFIRMED, MeasureState.WITHDRAWN, 1, ""),
    (ReportState.CONFIRMED, MeasureState.REJECTED, 2, ""),
    (ReportState.CONFIRMED, MeasureState.ACTIVE, 1, ""),
    (ReportState.CONFIRMED, MeasureState.ACTIVE, 2, "objection_filed"),
    (ReportState.CONFIRMED, MeasureState.ACTIVE, 3, "removal_open"),
    (ReportState.CONFIRMED, MeasureState.EXPIRED, 1, ""),
    (ReportState.CONFIRMED, MeasureState.EXPIRED, 2, "objection_rejected"),
    (ReportState.CONFIRMED, MeasureState.EXPIRED, 3, "removal_done"),
    (ReportState.CONFIRMED, MeasureState.VOIDED, 1, "objection_upheld"),
    (ReportState.CONFIRMED, MeasureState.VOIDED, 3, "removal_cancelled"),
    (ReportState.CONFIRMED, None, None, "referral_open"),
]

FIRST_NAMES = ["Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Andi", "Fitri", "Hendra", "Aisyah", "Yusuf",
               "Rina", "Agus", "Lestari", "Hasan", "Wulan", "Imam", "Putri", "Fajar", "Maya", "Rizki", "Indah"]
LAST_NAMES = ["Santoso", "Hidayat", "Saputra", "Wahyuni", "Kurniawan", "Rahmawati", "Pratama", "Lubis",
              "Siregar", "Nasution", "Harahap", "Setiawan", "Fauzi", "Syahputra", "Anggraini", "Ramadhan"]
TITLES = ["S.Pd.", "S.Ag.", "M.Pd.", "S.Kom.", "S.E.", "", "", "S.Pd.I."]
POSITIONS = ["Guru", "Guru", "Guru", "Staf Tata Usaha", "Bendahara", "Pustakawan", "Guru BK"]
DESCRIPTIONS = [
    "Meneruskan kabar yang belum jelas sumbernya ke grup resmi.",
    "Mengunggah dukungan kepada salah satu calon di grup kantor.",
    "Membagikan tangkapan layar dokumen internal ke grup.",
    "Menggunakan kata-kata kasar kepada rekan kerja di grup.",
    "Siaran langsung mengenakan seragam dinas di luar tugas.",
]
RULE_TEXTS = [
    (RuleCategory.HOAX, "Dilarang menyebarkan berita bohong atau informasi yang belum jelas sumbernya."),
    (RuleCategory.POLITICS, "Dilarang menunjukkan dukungan kepada peserta pemilu di grup resmi."),
    (RuleCategory.CONFIDENTIAL, "Dilarang membagikan dokumen dinas yang dikecualikan."),
    (RuleCategory.SARA, "Dilarang mengunggah konten yang menyinggung suku, agama, ras dan antargolongan."),
    (RuleCategory.HARASSMENT, "Dilarang merundung atau melecehkan sesama anggota grup."),
    (RuleCategory.ETIQUETTE, "Gunakan bahasa yang santun dan hormati waktu istirahat."),
]


@dataclass
class Generated:
    """What was made, where to sign in, and how long each step took (seconds)."""

    prefix: str
    institutions: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    logins: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    password: str = DEFAULT_PASSWORD


def next_prefix() -> str:
    """A slug prefix not used yet, so that ``--append`` adds a second province beside the first."""
    used = set(Institution.objects.filter(depth=0, slug__regex=r"^prov\d+-kanwil$").values_list("slug", flat=True))
    number = 1
    while f"prov{number}-kanwil" in used:
        number += 1
    return f"prov{number}"


def layout(n: int) -> tuple[int, int]:
    """(district offices, units below them) for ``n`` institutions in all, the top one included."""
    if n < 1:
        raise ValueError("at least one institution")
    offices = 0 if n == 1 else max(1, min(n - 1, round(n / 25)))
    return offices, n - 1 - offices


class _Clock:
    def __init__(self, result: Generated, say):
        self.result, self.say, self.start = result, say, time.perf_counter()
        self.last = self.start

    def lap(self, name: str, rows: int | None = None):
        now = time.perf_counter()
        self.result.timings[name] = round(now - self.last, 2)
        if rows is not None:
            self.result.counts[name] = rows
        self.say(f"  {name:<24} {now - self.last:7.2f} s" + (f"  {rows:>9,} rows" if rows is not None else ""))
        self.last = now


def _bulk(model, objects):
    """Insert unsaved objects and give them their primary keys: PostgreSQL COPY, else bulk_create."""
    objects = list(objects)
    if connection.vendor != "postgresql" or not objects:
        return model.objects.bulk_create(objects, batch_size=BATCH)
    meta, now = model._meta, timezone.now()
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objects)])
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in [meta.pk, *fields])
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = [obj.pk]
                for f in fields:
                    value = getattr(obj, f.attname)
                    if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                        value = now
                        setattr(obj, f.attname, value)
                    row.append(f.get_db_prep_save(value, connection))
                copy.write_row(row)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias
    return objects


def _name(rng: random.Random) -> str:
    title = rng.choice(TITLES)
    base = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return f"{base}, {title}" if title else base


def _nip(rng: random.Random, used: set) -> tuple[str, datetime.date, str]:
    while True:
        birth = datetime.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
        appointed = min(birth.year + rng.randint(22, 30), 2024)
        sex = rng.choice("12")
        nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{sex}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            return nip, birth, "L" if sex == "1" else "P"


def _semesters(today: datetime.date) -> tuple[tuple[int, int], tuple[int, int]]:
    """(previous, current): the current one is the last semester that has ended."""
    current = (today.year, 1) if today.month >= 7 else (today.year - 1, 2)
    previous = (current[0], 1) if current[1] == 2 else (current[0] - 1, 2)
    return previous, current


def generate(n: int = 500, *, seed: int = 20240601, prefix: str | None = None, password: str = DEFAULT_PASSWORD,
             say=lambda line: None) -> Generated:
    """Build the province in one transaction and return what was made."""
    with transaction.atomic(), platform_scope():
        return _generate(n, seed=seed, prefix=prefix or next_prefix(), password=password, say=say)


def _generate(n, *, seed, prefix, password, say) -> Generated:  # noqa: C901 - one linear recipe
    rng = random.Random(seed)
    result = Generated(prefix=prefix, institutions=n, password=password)
    clock = _Clock(result, say)
    now = timezone.now()
    today = timezone.localdate()
    long_ago = datetime.date(2020, 1, 2)

    # --- the tree ------------------------------------------------------------------------------
    offices_n, units_n = layout(n)
    top = Institution.objects.create(
        name=f"Kanwil Kemenag Provinsi Uji {prefix.upper()}", slug=f"{prefix}-kanwil",
        kind=Institution.Kind.REGIONAL_OFFICE, province_code="16", letter_unit_code="Kw.06.1")
    offices = _bulk(Institution, [
        Institution(name=f"Kantor Kemenag Kabupaten Uji {i + 1}", slug=f"{prefix}-kankemenag-{i + 1}",
                    kind=Institution.Kind.DISTRICT_OFFICE, parent=top, province_code="16",
                    regency_code=f"16.{i % 99 + 1:02d}", letter_unit_code=f"Kk.06.{i % 99 + 1:02d}")
        for i in range(offices_n)])
    for office in offices:
        office.path, office.depth = f"{top.path}{office.pk}/", 1
    Institution.objects.bulk_update(offices, ["path", "depth"], batch_size=BATCH)
    units = []
    for i in range(units_n):
        office = offices[i % len(offices)]
        is_madrasah = i % 10 != 9
        units.append(Institution(
            name=(f"MTs Negeri {i + 1} Uji" if is_madrasah else f"KUA Kecamatan Uji {i + 1}"),
            slug=f"{prefix}-{'mtsn' if is_madrasah else 'kua'}-{i + 1}",
            kind=Institution.Kind.MADRASAH if is_madrasah else Institution.Kind.OTHER, parent=office,
            province_code="16", regency_code=office.regency_code,
            nsm=f"121116{i + 1:06d}" if is_madrasah else "",
            letter_unit_code=f"Mts.06.{office.regency_code[-2:]}.{i + 1}"))
    units = _bulk(Institution, units)
    by_pk = {office.pk: office for office in offices}
    for unit in units:
        unit.path, unit.depth = f"{by_pk[unit.parent_id].path}{unit.pk}/", 2
    Institution.objects.bulk_update(units, ["path", "depth"], batch_size=BATCH)
    institutions = [top, *offices, *units]
    clock.lap("institutions", len(institutions))

    # --- users, roles, MFA -------------------------------------------------------------------------
    hashed = make_password(password)  # one hash for every generated account: hashing 2,000 would take minutes
    users = []
    for inst in institutions:
        for role in ROLE_USERS:
            users.append(User(email=f"{role}.{inst.slug}@santun.test", full_name=f"{role.label} {inst.name}"[:200],
                              password=hashed))
    assessors = [User(email=f"penilai{k + 1}.{top.slug}@santun.test", full_name=f"Penilai {k + 1} {top.name}",
                      password=hashed) for k in range(ASSESSORS)]
    users = _bulk(User, users + assessors)
    assessors = users[-ASSESSORS:]
    role_user = {}
    memberships = []
    for index, inst in enumerate(institutions):
        for offset, role in enumerate(ROLE_USERS):
            user = users[index * len(ROLE_USERS) + offset]
            role_user[(inst.pk, role)] = user
            memberships.append(Membership(user=user, institution=inst, role=role, starts_on=long_ago))
    memberships += [Membership(user=user, institution=top, role=Role.ASSESSOR, starts_on=long_ago) for user in assessors]
    _bulk(Membership, memberships)
    totp = {"secret": encrypt(DEMO_TOTP_SECRET)}
    _bulk(Authenticator, [Authenticator(user=user, type=Authenticator.Type.TOTP, data=totp)
                          for user in [*(role_user[(i.pk, Role.HEAD)] for i in institutions), *assessors]])
    clock.lap("users", len(users))

    # --- staff -------------------------------------------------------------------------------------
    used_nips = set(StaffMember.objects.exclude(nip="").values_list("nip", flat=True))
    staff = []
    special = {0: (Role.HEAD, "Kepala"), 1: (Role.PUBLIC_RELATIONS, "Pranata Humas"), 2: (Role.OPERATOR, "Operator"),
               3: (Role.STAFF, "Guru")}
    for inst in institutions:
        for k in range(STAFF_PER_INSTITUTION):
            honorer = k >= 4 and k % 5 == 4
            person = StaffMember(institution=inst, full_name=_name(rng), position=rng.choice(POSITIONS),
                                 status=StaffMember.Status.HONORER if honorer else StaffMember.Status.PNS,
                                 phone=f"08{rng.randint(10**9, 10**10 - 1)}", joined_on=long_ago)
            if not honorer:
                person.nip, person.birth_date, person.sex = _nip(rng, used_nips)
            if k in special:
                role, position = special[k]
                user = role_user[(inst.pk, role)]
                person.user, person.position, person.full_name = user, position, user.full_name
            staff.append(person)
    staff = _bulk(StaffMember, staff)
    staff_of = {inst.pk: staff[i * STAFF_PER_INSTITUTION:(i + 1) * STAFF_PER_INSTITUTION]
                for i, inst in enumerate(institutions)}
    clock.lap("staff", len(staff))

    # --- channels and group memberships --------------------------------------------------------------
    channels = []
    for inst in institutions:
        for kind, name, link, target in [
            (ChannelKind.WHATSAPP_GROUP, f"Grup Guru dan Pegawai {inst.name}", f"https://chat.whatsapp.com/{inst.slug}guru", None),
            (ChannelKind.WHATSAPP_GROUP, f"Grup Pengumuman {inst.name}", f"https://chat.whatsapp.com/{inst.slug}info", None),
            (ChannelKind.INSTAGRAM, f"Instagram {inst.name}", f"https://www.instagram.com/{inst.slug.replace('-', '_')}/", 1),
            (ChannelKind.FACEBOOK, f"Facebook {inst.name}", f"https://www.facebook.com/{inst.slug}", 3),
        ]:
            channels.append(Channel(institution=inst, kind=kind, name=name[:200], link=link, link_key=link_key(kind, link),
                                    posting_target=target,
                                    posting_target_unit=Channel.TargetUnit.WEEK if target == 3 else Channel.TargetUnit.DAY))
    channels = _bulk(Channel, channels)
    channels_of = {inst.pk: channels[i * CHANNELS_PER_INSTITUTION:(i + 1) * CHANNELS_PER_INSTITUTION]
                   for i, inst in enumerate(institutions)}
    group_rows = []
    for inst in institutions:
        groups = channels_of[inst.pk][:2]
        for k, person in enumerate(staff_of[inst.pk]):
            admin = GroupMembership.Role.ADMIN if k in (1, 2) else GroupMembership.Role.MEMBER
            group_rows.append(GroupMembership(channel=groups[0], staff=person, role=admin, since=long_ago))
            if k % 2 == 0 or k < 4:
                group_rows.append(GroupMembership(channel=groups[1], staff=person, role=admin, since=long_ago))
    group_rows = _bulk(GroupMembership, group_rows)
    membership_of = {(row.channel_id, row.staff_id): row for row in group_rows}
    clock.lap("channels_and_groups", len(channels) + len(group_rows))
    result.counts["channels"], result.counts["group_memberships"] = len(channels), len(group_rows)

    # --- codes of conduct and acknowledgements ---------------------------------------------------------
    first_published = now - datetime.timedelta(days=720)
    second_published = now - datetime.timedelta(days=400)
    versions = []
    for inst in institutions:
        humas = role_user[(inst.pk, Role.PUBLIC_RELATIONS)]
        kepala = role_user[(inst.pk, Role.HEAD)]
        versions.append(CodeVersion(institution=inst, number=1, title="Kode Etik Bermedia Sosial",
                                    state=CodeVersion.State.SUPERSEDED, published_at=first_published,
                                    published_by=kepala, created_by=humas))
        versions.append(CodeVersion(institution=inst, number=2, title="Kode Etik Bermedia Sosial",
                                    state=CodeVersion.State.PUBLISHED, published_at=second_published,
                                    published_by=kepala, created_by=humas,
                                    change_note="Menambah aturan netralitas menjelang pemilu."))
    versions = _bulk(CodeVersion, versions)
    rules = []
    for v1, v2 in zip(versions[0::2], versions[1::2], strict=True):
        for position, (category, text) in enumerate(RULE_TEXTS, start=1):
            lineage = uuid.UUID(int=rng.getrandbits(128))
            kind = RuleKind.RECOMMENDATION if category == RuleCategory.ETIQUETTE else RuleKind.PROHIBITION
            for version in (v1, v2):
                if version is v1 and category == RuleCategory.POLITICS:
                    continue
                rules.append(Rule(version=version, number=str(position), category=category, kind=kind,
                                  severity=3 if kind == RuleKind.PROHIBITION else 1, text=text, position=position,
                                  lineage=lineage))
    rules = _bulk(Rule, rules)
    published = {v.pk: v.institution_id for v in versions[1::2]}
    published_rules: dict[int, list[Rule]] = {}
    for rule in rules:
        if rule.version_id in published:
            published_rules.setdefault(published[rule.version_id], []).append(rule)
    acknowledgements = []
    for i, inst in enumerate(institutions):
        v1, v2 = versions[2 * i], versions[2 * i + 1]
        for k, person in enumerate(staff_of[inst.pk]):
            if k % 10 < 6:
                acknowledgements.append(Acknowledgement(staff=person, version=v1, recorded_by=None,
                                                        acknowledged_at=first_published + datetime.timedelta(days=k % 30)))
            if k % 20 not in (7, 13, 19):  # 85 % have acknowledged the current version
                acknowledgements.append(Acknowledgement(
                    staff=person, version=v2, acknowledged_at=second_published + datetime.timedelta(days=k % 40, hours=k % 9),
                    method=Acknowledgement.Method.PAPER if k % 7 == 0 else Acknowledgement.Method.ONLINE,
                    recorded_by=role_user[(inst.pk, Role.OPERATOR)] if k % 7 == 0 else None))
    _bulk(Acknowledgement, acknowledgements)
    clock.lap("codes_and_acknowledgements", len(versions) + len(rules) + len(acknowledgements))
    result.counts["code_versions"], result.counts["acknowledgements"] = len(versions), len(acknowledgements)

    # --- publication log -------------------------------------------------------------------------
    posts = []
    for inst in institutions:
        humas = role_user[(inst.pk, Role.PUBLIC_RELATIONS)]
        for channel in channels_of[inst.pk][2:]:
            for k in range(POSTS_PER_ACCOUNT):
                checked = k % 4 != 3
                posts.append(Publication(
                    institution=inst, channel=channel, published_at=now - datetime.timedelta(days=15 * k + 1, hours=k),
                    link=f"{channel.link.rstrip('/')}/posts/{k + 1}", topic=f"Kegiatan {inst.name} pekan ke-{k + 1}"[:200],
                    source_verified=True, content_true=True, nothing_confidential=checked, neutral=True,
                    caption_matches=checked, reviewed_by=humas, created_by=humas, checked_before_publishing=checked))
    _bulk(Publication, posts)
    clock.lap("publications", len(posts))

    # --- ladders (through the service: one audit entry each) --------------------------------------
    levels_of = {}
    for inst in institutions:
        with institution_scope(inst):
            ladder = sanction_services.ladder_ensure(actor=role_user[(inst.pk, Role.HEAD)], institution=inst)
            levels_of[inst.pk] = {level.position: level for level in LadderLevel.objects.filter(ladder=ladder)}
    clock.lap("ladders", len(institutions))

    # --- violation reports and the case file -----------------------------------------------------
    reports, plans = [], []
    for inst in institutions:
        people = staff_of[inst.pk]
        humas, pegawai = role_user[(inst.pk, Role.PUBLIC_RELATIONS)], role_user[(inst.pk, Role.STAFF)]
        group = channels_of[inst.pk][0]
        for k in range(REPORTS_PER_INSTITUTION):
            scenario = SCENARIOS[k % len(SCENARIOS)]
            state, measure_state, position, extra = scenario
            occurred = now - datetime.timedelta(days=1 + (k * 7) % 360, hours=k % 24, minutes=k % 60)
            if measure_state == MeasureState.ACTIVE or measure_state == MeasureState.PROPOSED:
                occurred = now - datetime.timedelta(days=5 + k % 60, hours=k % 24)
            elif measure_state in (MeasureState.EXPIRED, MeasureState.VOIDED):
                occurred = now - datetime.timedelta(days=250 + k % 100, hours=k % 24)
            if extra.startswith("objection"):
                subject = people[3]  # the staff member with an account, who files the objection
            else:
                subject = people[4 + (k * 37) % (STAFF_PER_INSTITUTION - 4)]
            outsider = k % 23 == 0 and not extra.startswith(("objection", "removal"))
            decided = state in (ReportState.CONFIRMED, ReportState.DISMISSED)
            reports.append(ViolationReport(
                institution=inst, subject_staff=None if outsider else subject,
                subject_name=f"Anggota grup {k}" if outsider else "",
                subject_phone=f"0812{k:08d}" if outsider else "", channel=group, occurred_at=occurred,
                description=DESCRIPTIONS[k % len(DESCRIPTIONS)],
                source=[ReportSource.STAFF, ReportSource.HUMAS, ReportSource.CHAT][k % 3],
                reporter=pegawai if k % 3 == 0 else humas, state=state, priority=extra == "priority" or k % 17 == 0,
                assignee=humas if state != ReportState.SUBMITTED else None,
                decision_reason="Terbukti dari tangkapan layar." if decided else "",
                decided_by=humas if decided else None, decided_at=occurred + datetime.timedelta(days=2) if decided else None,
                # Reports are listed by when they arrived: spread like real traffic, not the load time.
                created_at=occurred + datetime.timedelta(hours=3), updated_at=occurred + datetime.timedelta(days=3)))
            plans.append((inst, subject, scenario, occurred))
    reports = _bulk(ViolationReport, reports)
    if connection.vendor != "postgresql":  # bulk_create stamps created_at with the load time
        table, bounds = ViolationReport._meta.db_table, [min(i.pk for i in institutions), max(i.pk for i in institutions)]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET created_at = datetime(occurred_at, '+3 hours') "
                           "WHERE institution_id BETWEEN %s AND %s", bounds)
    through = ViolationReport.rules.through
    links = []
    for index, (report, (inst, _subject, _scenario, _when)) in enumerate(zip(reports, plans, strict=True)):
        own = published_rules[inst.pk]
        links.append(through(violationreport_id=report.pk, rule_id=own[index % len(own)].pk))
        if index % 4 == 0:
            links.append(through(violationreport_id=report.pk, rule_id=own[(index + 1) % len(own)].pk))
    _bulk(through, links)
    clock.lap("violation_reports", len(reports))

    measures, measure_plans, notes, referrals = [], [], [], []
    for report, (inst, subject, (state, measure_state, position, extra), occurred) in zip(reports, plans, strict=True):
        humas, kepala = role_user[(inst.pk, Role.PUBLIC_RELATIONS)], role_user[(inst.pk, Role.HEAD)]
        if extra == "note" or (state == ReportState.CONFIRMED and report.pk % 3 == 0):
            notes.append(CaseNote(report=report, author=humas, text="Sudah dikonfirmasi kepada admin grup."))
        if extra.startswith("referral"):
            closed = extra == "referral_closed"
            referrals.append(Referral(
                institution=inst, report=report, track=ReferralTrack.DISCIPLINE if closed else ReferralTrack.NEUTRALITY,
                referred_to="Inspektorat Jenderal Kementerian Agama", referred_on=(occurred + datetime.timedelta(days=3)).date(),
                due_on=(occurred + datetime.timedelta(days=60)).date(),
                state=ReferralState.CLOSED if closed else ReferralState.REFERRED,
                outcome="Hukuman disiplin ringan." if closed else "",
                outcome_on=(occurred + datetime.timedelta(days=40)).date() if closed else None,
                created_by=humas, outcome_recorded_by=humas if closed else None))
        if measure_state is None:
            continue
        level = levels_of[inst.pk][position]
        proposed_at = occurred + datetime.timedelta(days=3)
        approved = measure_state in (MeasureState.ACTIVE, MeasureState.EXPIRED, MeasureState.VOIDED)
        decided = measure_state not in (MeasureState.PROPOSED, MeasureState.WITHDRAWN)
        decided_at = proposed_at + datetime.timedelta(days=1)
        active_from = timezone.localtime(decided_at).date()
        active_until = active_from + datetime.timedelta(days=30 * level.active_months)
        measures.append(Measure(
            institution=inst, report=report, level=level, suggested_level=level, level_code=level.code,
            level_name=level.name, level_kind=level.kind, level_position=level.position,
            active_months=level.active_months, state=measure_state, proposal_note="Mohon persetujuan Bapak/Ibu Kepala.",
            proposed_by=humas, proposed_at=proposed_at, decided_by=kepala if decided else None,
            decided_at=decided_at if decided else None,
            decision_reason="Disetujui." if approved else ("Belum cukup bukti." if decided else ""),
            active_from=active_from if approved else None, active_until=active_until if approved else None,
            delivered_on=active_from + datetime.timedelta(days=1) if approved else None,
            delivery_method=DeliveryMethod.WHATSAPP if approved else "",
            delivery_recorded_by=humas if approved else None,
            ended_at=decided_at + datetime.timedelta(days=20) if measure_state == MeasureState.VOIDED else
            (now if measure_state == MeasureState.WITHDRAWN else None)))
        measure_plans.append((inst, subject, extra, approved))
    measures = _bulk(Measure, measures)
    _bulk(CaseNote, notes)
    _bulk(Referral, referrals)
    clock.lap("measures", len(measures))

    letters, removals, objections = [], [], []
    sequences: dict[tuple[int, int], int] = {}
    codes = set(WarningLetter.objects.values_list("verification_code", flat=True))
    for measure, (inst, subject, extra, approved) in sorted(zip(measures, measure_plans, strict=True),
                                                            key=lambda pair: pair[0].decided_at or now):
        if not approved:
            continue
        kepala, humas = role_user[(inst.pk, Role.HEAD)], role_user[(inst.pk, Role.PUBLIC_RELATIONS)]
        day = measure.active_from
        if measure.level_kind == "letter":
            seq = sequences[(inst.pk, day.year)] = sequences.get((inst.pk, day.year), 0) + 1
            while True:
                code = "".join(rng.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
                if code not in codes:
                    codes.add(code)
                    break
            letters.append(WarningLetter(
                institution=inst, measure=measure, year=day.year, seq=seq,
                number=warning_letter_number(inst, seq=seq, day=day),
                issued_on=day, verification_code=code, signed_by=kepala, signer_name=kepala.full_name,
                signer_position=f"Kepala {inst.name}"[:300],
                voided_at=measure.ended_at if measure.state == MeasureState.VOIDED else None))
        elif measure.level_kind == "removal":
            group = channels_of[inst.pk][0]
            state = {"removal_open": RemovalState.OPEN, "removal_done": RemovalState.DONE}.get(extra, RemovalState.CANCELLED)
            done = state == RemovalState.DONE
            removals.append(RemovalTask(
                institution=inst, measure=measure, channel=group,
                group_membership=membership_of.get((group.pk, subject.pk)),
                state=state, due_on=day + datetime.timedelta(days=3),
                carried_out_on=day + datetime.timedelta(days=2) if done else None,
                confirmed_by=humas if done else None, confirmed_at=measure.decided_at + datetime.timedelta(days=2) if done else None,
                carried_out_by=staff_of[inst.pk][1] if done else None))
        if extra.startswith("objection"):
            state = {"objection_filed": ObjectionState.FILED, "objection_rejected": ObjectionState.REJECTED,
                     "objection_upheld": ObjectionState.UPHELD}[extra]
            decided = state != ObjectionState.FILED
            objections.append(Objection(
                institution=inst, measure=measure, filed_by=role_user[(inst.pk, Role.STAFF)],
                filed_at=measure.decided_at + datetime.timedelta(days=3),
                text="Saya tidak bermaksud menyebarkan kabar tersebut; mohon ditinjau kembali.",
                deadline=day + datetime.timedelta(days=20), state=state, decided_by=kepala if decided else None,
                decided_at=measure.decided_at + datetime.timedelta(days=10) if decided else None,
                decision_reason="Keberatan diterima." if state == ObjectionState.UPHELD else
                ("Keberatan ditolak." if decided else "")))
    _bulk(WarningLetter, letters)
    _bulk(RemovalTask, removals)
    _bulk(Objection, objections)
    _bulk(LetterSequence, [LetterSequence(institution_id=inst_pk, year=year, last_seq=seq)
                           for (inst_pk, year), seq in sequences.items()])
    clock.lap("letters_removals_objections", len(letters) + len(removals) + len(objections))
    result.counts.update(letters=len(letters), removals=len(removals), objections=len(objections))
    result.counts["case_notes"], result.counts["referrals"] = len(notes), len(referrals)

    # --- the semester assessment (through the services: audit entries, indicators, ranks) ---------
    previous, current = _semesters(today)
    lead = assessors[0]
    periods = {}
    if n < 2:  # nobody below the top to assess
        result.timings["total"] = round(time.perf_counter() - clock.start, 2)
        return result
    with subtree_scope(top):
        rubric = services.rubric_create_default(actor=lead, institution=top)
        for name, (year, semester) in (("finalized", previous), ("scoring", current)):
            ends = datetime.date(year, 6, 30) if semester == 1 else datetime.date(year, 12, 31)
            period = services.period_create(
                actor=lead, institution=top, year=year, semester=semester, rubric=rubric, kinds=[],
                self_assessment_deadline=ends + datetime.timedelta(days=31),
                scoring_deadline=ends + datetime.timedelta(days=62))
            period = services.period_open(actor=lead, period=period, today=ends + datetime.timedelta(days=1), email=False)
            criteria = selectors.criteria_for(period)
            # Assessors score the criteria without an indicator, and "checked before publishing" too: the
            # generated posts cover only the last months, so the earlier semester has no value for it.
            manual = [c for c in criteria if not c.indicator or c.indicator == "checked_before_publishing"]
            entries = list(Entry.objects.filter(period=period).order_by("institution_id"))
            submitted = [e for e in entries if e.institution_id % 10 != 3]
            for entry in submitted:
                entry.submitted_at = timezone.make_aware(datetime.datetime.combine(ends, datetime.time(10)))
                entry.submitted_by = role_user[(entry.institution_id, Role.PUBLIC_RELATIONS)]
            Entry.objects.bulk_update(submitted, ["submitted_at", "submitted_by"], batch_size=BATCH)
            _bulk(Answer, [Answer(entry=e, criterion=c, answer=f"Bukti kegiatan {c.code} semester ini.",
                                  links=f"https://www.instagram.com/p/{e.institution_id}{c.pk}/",
                                  updated_by=e.submitted_by) for e in submitted for c in manual])
            period = services.period_start_scoring(actor=lead, period=period)
            scored = entries if name == "finalized" else entries[: len(entries) * 2 // 3]
            seed_add = 0 if name == "finalized" else 1
            _bulk(AssessorScore, [
                AssessorScore(entry=e, criterion=c, assessor=assessor,
                              score=min(rubric.scale_max, (e.institution_id * 7 + c.pk * 3 + seed_add) % (rubric.scale_max + 1) + number % 2))
                for e in scored for c in manual for number, assessor in enumerate(assessors[:2])])
            if name == "finalized":
                period = services.period_finalize(actor=lead, period=period, email=False)
            else:
                services.period_recompute(actor=lead, period=period)
            periods[name] = period
    clock.lap("assessment", len(entries) * 2)

    # --- where to look ---------------------------------------------------------------------------
    unit = units[0] if units else (offices[0] if offices else top)
    case = next(r for r, (inst, _s, scenario, _w) in zip(reports, plans, strict=True)
                if inst.pk == unit.pk and scenario[1] == MeasureState.ACTIVE and scenario[2] == 1)
    letter = next((x for x in letters if x.institution_id == unit.pk and x.voided_at is None), None)
    result.logins = {
        "kepala": role_user[(unit.pk, Role.HEAD)].email, "humas": role_user[(unit.pk, Role.PUBLIC_RELATIONS)].email,
        "operator": role_user[(unit.pk, Role.OPERATOR)].email, "pegawai": role_user[(unit.pk, Role.STAFF)].email,
        "penilai": assessors[0].email, "kepala_top": role_user[(top.pk, Role.HEAD)].email,
    }
    result.pages = {
        "top": top.slug, "unit": unit.slug, "report": case.pk, "finalized_period": periods["finalized"].pk,
        "scoring_period": periods["scoring"].pk, "letter_code": letter.verification_code if letter else "",
    }
    result.timings["total"] = round(time.perf_counter() - clock.start, 2)
    return result


def summary_lines(result: Generated) -> list[str]:
    return [f"{name}: {value}" for name, value in result.logins.items()] + [
        f"password: {result.password} (heads and assessors: TOTP secret {DEMO_TOTP_SECRET}, `make totp`)",
        f"top institution: /instansi/{result.pages['top']}/ · sample unit: /instansi/{result.pages['unit']}/",
    ]

