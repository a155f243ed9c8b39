import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from governance import services
from governance.code_templates import TEMPLATES
from governance.models import (
    AuditEntry,
    Channel,
    ChannelKind,
    CodeVersion,
    Institution,
    Notification,
    Publication,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
)
from governance.selectors import parent_code_status, version_diff
from governance.signals import code_published
from governance.tests.factories import (
    ChannelFactory,
    InstitutionFactory,
    OfficialAccountFactory,
    PublishedCodeFactory,
    RuleFactory,
    make_member,
)


def actions(institution):
    return list(AuditEntry.objects.filter(institution=institution).order_by("seq").values_list("action", flat=True))


# ---------------------------------------------------------------- institutions


def test_the_model_keeps_the_paths_of_a_moved_subtree(db, unscoped):
    root = InstitutionFactory(slug="akar")
    a = InstitutionFactory(slug="cabang-a", parent=root)
    b = InstitutionFactory(slug="cabang-b", parent=root)
    c = InstitutionFactory(slug="anak-c", parent=a)
    d = InstitutionFactory(slug="cucu-d", parent=c)
    assert Institution.ids_on_path(d.path) == [root.pk, a.pk, c.pk, d.pk] and d.ancestor_ids() == [root.pk, a.pk, c.pk]
    with transaction.atomic():
        moved = c.move_under(b)
    d.refresh_from_db()
    assert moved == [d] and c.path == f"{b.path}{c.pk}/" and c.depth == 2
    assert d.path == f"{c.path}{d.pk}/" and d.depth == 3 and d.is_descendant_of(b) and not d.is_descendant_of(a)


def test_renaming_and_moving_are_audited_under_governance(db, unscoped):
    root = InstitutionFactory(slug="akar")
    a = InstitutionFactory(slug="cabang-a", parent=root, name="MTs Lama")
    b = InstitutionFactory(slug="cabang-b", parent=root)
    services.institution_rename(actor=None, institution=a, name="  MTs   Baru ", letter_unit_code=" Mts.01 ")
    a.refresh_from_db()
    assert (a.name, a.letter_unit_code) == ("MTs Baru", "Mts.01")
    assert AuditEntry.objects.get(action="governance.institution.renamed").data == {
        "institution": a.pk, "fields": ["name", "letter_unit_code"]}
    services.institution_move(actor=None, institution=a, new_parent=b)
    assert actions(a)[-1] == "governance.institution.moved" and actions(b)[-1] == "governance.institution.moved"
    with pytest.raises(ValidationError):
        services.institution_move(actor=None, institution=b, new_parent=a)


def test_only_those_who_arrange_the_tree_may_rename_or_move(db, unscoped):
    root = InstitutionFactory(slug="akar")
    a = InstitutionFactory(slug="cabang-a", parent=root, name="MTs Lama")
    b = InstitutionFactory(slug="cabang-b", parent=root)
    humas = make_member(root, Role.PUBLIC_RELATIONS)
    with pytest.raises(PermissionDenied):
        services.institution_rename(actor=humas, institution=a, name="MTs Baru")
    with pytest.raises(PermissionDenied):
        services.institution_move(actor=humas, institution=a, new_parent=b)
    a.refresh_from_db()
    assert a.name == "MTs Lama" and a.parent == root and not services.may_arrange(humas, root)


# ---------------------------------------------------------------- channels


def test_registering_stores_the_canonical_link_and_writes_the_audit_entry(side_a, unscoped):
    humas = side_a.users["humas"]
    channel = services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.INSTAGRAM,
                                        name="Instagram MTsN", link="@MTsN1MuaraEnim", posting_target=2)
    assert channel.link == "https://www.instagram.com/mtsn1muaraenim/"
    assert channel.link_key == "instagram:mtsn1muaraenim"
    entry = AuditEntry.objects.get(action="governance.channel.registered")
    assert entry.actor == humas and entry.target_id == str(channel.pk) and entry.data["target"] == 2


def test_the_same_account_written_another_way_is_refused_with_its_name(side_a, unscoped):
    humas = side_a.users["humas"]
    services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.INSTAGRAM,
                              name="Instagram resmi", link="https://www.instagram.com/x/")
    with pytest.raises(ValidationError) as refused:
        services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.INSTAGRAM,
                                  name="Akun kedua", link="@x")
    assert "Instagram resmi" in refused.value.message_dict["link"][0]
    assert Channel.objects.filter(institution=side_a.institution).count() == 1


def test_an_archived_duplicate_is_pointed_out_so_it_can_be_restored(side_a, unscoped):
    humas = side_a.users["humas"]
    old = services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.WHATSAPP_GROUP,
                                    name="Grup lama", link="https://chat.whatsapp.com/GrupLama1234")
    services.channel_archive(actor=humas, channel=old)
    with pytest.raises(ValidationError) as refused:
        services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.WHATSAPP_GROUP,
                                  name="Grup baru", link="chat.whatsapp.com/GrupLama1234")
    assert "Grup lama" in refused.value.message_dict["link"][0]


def test_another_institution_may_register_the_same_account(side_a, side_b, unscoped):
    for side in (side_a, side_b):
        services.channel_register(actor=side.users["humas"], institution=side.institution, kind=ChannelKind.X,
                                  name="Akun X", link="@kemenag_ri")
    assert Channel.objects.filter(link_key="x:kemenag_ri").count() == 2


def test_a_group_without_link_is_refused_when_its_name_is_taken(side_a):
    humas = side_a.users["humas"]
    services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.WHATSAPP_GROUP,
                              name="Grup Guru")
    with pytest.raises(ValidationError) as refused:
        services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.WHATSAPP_GROUP,
                                  name="grup guru")
    assert "name" in refused.value.message_dict


@pytest.mark.parametrize(("kind", "official"), [(ChannelKind.WHATSAPP_GROUP, True), (ChannelKind.INSTAGRAM, False)])
def test_posting_targets_are_for_official_accounts_only(side_a, kind, official):
    with pytest.raises(ValidationError) as refused:
        services.channel_register(actor=side_a.users["humas"], institution=side_a.institution, kind=kind,
                                  name="Tanpa target", is_official=official, posting_target=3)
    assert "posting_target" in refused.value.message_dict


def test_a_link_of_the_wrong_kind_is_refused(side_a):
    with pytest.raises(ValidationError) as refused:
        services.channel_register(actor=side_a.users["humas"], institution=side_a.institution,
                                  kind=ChannelKind.INSTAGRAM, name="Salah", link="https://www.facebook.com/halaman")
    assert "link" in refused.value.message_dict


def test_update_records_which_fields_changed(side_a, unscoped):
    humas = side_a.users["humas"]
    channel = services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.FACEBOOK,
                                        name="Halaman", link="facebook.com/halaman.resmi")
    services.channel_update(actor=humas, channel=channel, name="Halaman Resmi", posting_target=2,
                            posting_target_unit=Channel.TargetUnit.WEEK)
    channel.refresh_from_db()
    assert (channel.name, channel.posting_target, channel.posting_target_unit) == ("Halaman Resmi", 2, "week")
    entry = AuditEntry.objects.get(action="governance.channel.updated")
    assert entry.data["fields"] == ["name", "posting_target", "posting_target_unit"]


def test_archiving_keeps_the_channel_and_restoring_brings_it_back(side_a, unscoped):
    humas = side_a.users["humas"]
    channel = services.channel_register(actor=humas, institution=side_a.institution, kind=ChannelKind.WHATSAPP_GROUP,
                                        name="Grup", link="https://chat.whatsapp.com/Grup12345678")
    services.channel_archive(actor=humas, channel=channel)
    channel.refresh_from_db()
    assert not channel.is_active and channel.archived_at is not None
    with pytest.raises(ValidationError):
        services.channel_update(actor=humas, channel=channel, name="Baru")
    services.channel_restore(actor=humas, channel=channel)
    channel.refresh_from_db()
    assert channel.is_active and channel.archived_at is None
    assert actions(side_a.institution)[-3:] == [
        "governance.channel.registered", "governance.channel.archived", "governance.channel.restored"]


# ---------------------------------------------------------------- codes of conduct


@pytest.mark.parametrize(("key", "cited"), [
    ("madrasah_wa_group", "8 Agustus 2020"),
    ("kemenag_neutrality", "30 November 2020"),
    ("pemasyarakatan", "7 Februari 2025"),
    ("djpb", "Bijak Bermedia Sosial"),
    ("opd_accounts", "23 Oktober 2024"),
])
def test_each_template_starts_a_draft_citing_its_source(side_a, unscoped, key, cited):
    version = services.code_start_from_template(actor=side_a.users["humas"], institution=side_a.institution,
                                                template_key=key)
    assert version.state == CodeVersion.State.DRAFT and version.template_key == key
    assert cited in version.source_note
    assert [r.number for r in version.rules.order_by("position")] == [r.number for r in TEMPLATES[key].rules]


def test_the_madrasah_template_permits_product_promotion_and_states_its_ladder(side_a, unscoped):
    version = services.code_start_from_template(actor=side_a.users["humas"], institution=side_a.institution,
                                                template_key="madrasah_wa_group")
    permission = version.rules.get(kind=RuleKind.PERMISSION)
    assert "promosi" in permission.text.lower()
    assert "dua kali" in version.preamble and "mengeluarkannya dari grup" in version.preamble


def test_the_pemasyarakatan_template_has_its_eight_points():
    rules = TEMPLATES["pemasyarakatan"].rules
    assert len(rules) == 8
    assert {r.category for r in rules} >= {RuleCategory.HATE_SPEECH, RuleCategory.SARA, RuleCategory.STATE_SYMBOLS,
                                           RuleCategory.CONFIDENTIAL, RuleCategory.LIVE_IN_UNIFORM}


def test_the_djpb_template_has_recommendations_and_prohibitions():
    template = TEMPLATES["djpb"]
    assert template.count(RuleKind.RECOMMENDATION) >= 5 and template.count(RuleKind.PROHIBITION) >= 6


def publish_template(side, key="madrasah_wa_group"):
    version = services.code_start_from_template(actor=side.users["humas"], institution=side.institution,
                                                template_key=key)
    return services.code_publish(actor=side.users["kepala"], version=version)


def test_a_new_version_starts_as_a_copy_of_the_code_in_force(side_a, unscoped):
    current = publish_template(side_a)
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    assert draft.number == current.number + 1 and draft.based_on == current
    copied = list(draft.rules.values_list("number", "text", "lineage"))
    assert copied == list(current.rules.values_list("number", "text", "lineage"))
    assert version_diff(draft).is_empty


def test_only_one_draft_at_a_time(side_a):
    services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    with pytest.raises(ValidationError) as refused:
        services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    assert refused.value.code == "draft_exists"


def test_only_the_head_publishes(side_a):
    draft = services.code_start_from_template(actor=side_a.users["humas"], institution=side_a.institution,
                                              template_key="djpb")
    for role in (Role.PUBLIC_RELATIONS, Role.OPERATOR, Role.STAFF):
        with pytest.raises(ValidationError) as refused:
            services.code_publish(actor=side_a.users[role], version=draft)
        assert refused.value.code == "not_head"
    with pytest.raises(ValidationError):
        services.code_publish(actor=side_a.parent_users[Role.HEAD], version=draft)


def test_an_empty_code_cannot_be_published(side_a, unscoped):
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    with pytest.raises(ValidationError) as refused:
        services.code_publish(actor=side_a.users["kepala"], version=draft)
    assert refused.value.code == "empty"
    draft.refresh_from_db()
    assert draft.state == CodeVersion.State.DRAFT


def test_publishing_supersedes_the_previous_version_and_signals_inside_the_transaction(side_a, unscoped):
    first = publish_template(side_a)
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    seen = []

    def receiver(sender, version, actor, **kwargs):
        seen.append((sender, version.pk, actor.pk, transaction.get_connection().in_atomic_block))

    code_published.connect(receiver)
    try:
        services.code_publish(actor=side_a.users["kepala"], version=draft)
    finally:
        code_published.disconnect(receiver)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.state == CodeVersion.State.SUPERSEDED
    assert draft.state == CodeVersion.State.PUBLISHED and draft.published_by == side_a.users["kepala"]
    assert seen == [(CodeVersion, draft.pk, side_a.users["kepala"].pk, True)]
    entry = AuditEntry.objects.filter(action="governance.code.published").last()
    assert entry.data["number"] == draft.number and entry.data["previous"] == first.pk


def test_a_published_version_cannot_be_changed_by_any_service(side_a, unscoped):
    version = publish_template(side_a)
    rule = version.rules.first()
    attempts = [
        lambda: services.rule_add(actor=side_a.users["humas"], version=version, number="99", category="other",
                                  kind="prohibition", severity=2, text="Aturan baru"),
        lambda: services.rule_update(actor=side_a.users["humas"], rule=rule, text="Diubah"),
        lambda: services.rule_remove(actor=side_a.users["humas"], rule=rule),
        lambda: services.code_version_update(actor=side_a.users["humas"], version=version, title="Baru"),
        lambda: services.code_publish(actor=side_a.users["kepala"], version=version),
        lambda: services.code_draft_discard(actor=side_a.users["humas"], version=version),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "not_draft"
    rule.refresh_from_db()
    assert version.rules.count() == 9 and rule.text != "Diubah"


def test_rule_numbers_are_unique_in_a_version(side_a):
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    services.rule_add(actor=side_a.users["humas"], version=draft, number="1", category="hoax", kind="prohibition",
                      severity=3, text="Dilarang menyebar hoaks.")
    with pytest.raises(ValidationError) as refused:
        services.rule_add(actor=side_a.users["humas"], version=draft, number="1", category="sara",
                          kind="prohibition", severity=3, text="Dilarang SARA.")
    assert "number" in refused.value.message_dict


def test_the_diff_shows_added_removed_and_changed_rules(side_a, unscoped):
    publish_template(side_a)
    humas = side_a.users["humas"]
    draft = services.code_version_start(actor=humas, institution=side_a.institution)
    services.rule_update(actor=humas, rule=draft.rules.get(number="1"), text="Gunakan grup hanya untuk info dinas.")
    services.rule_remove(actor=humas, rule=draft.rules.get(number="9"))
    services.rule_add(actor=humas, version=draft, number="10", category="hoax", kind="recommendation", severity=1,
                      text="Cek fakta sebelum meneruskan.")
    diff = version_diff(draft)
    assert [r.number for r in diff.added] == ["10"]
    assert [r.number for r in diff.removed] == ["9"]
    assert [c.new.number for c in diff.changed] == ["1"]
    assert ("insert", "info dinas.") in diff.changed[0].words and ("delete", "resmi") in diff.changed[0].words
    assert diff.unchanged == 7


def test_adopting_copies_the_parents_rules_and_keeps_own_rules(side_a, unscoped):
    parent = side_a.parent
    parent_head, parent_humas = side_a.parent_users[Role.HEAD], make_member(parent, Role.PUBLIC_RELATIONS)
    parent_version = services.code_publish(
        actor=parent_head,
        version=services.code_start_from_template(actor=parent_humas, institution=parent, template_key="pemasyarakatan"),
    )
    # The child had its own code with a rule "1" of its own.
    own = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    services.rule_add(actor=side_a.users["humas"], version=own, number="1", category="etiquette",
                      kind="recommendation", severity=1, text="Balas pesan warga dengan santun.")
    services.code_publish(actor=side_a.users["kepala"], version=own)

    draft = services.code_adopt_parent(actor=side_a.users["humas"], institution=side_a.institution)
    rules = list(draft.rules.order_by("position"))
    inherited = [r for r in rules if r.inherited_from_id]
    assert [r.inherited_from.version for r in inherited] == [parent_version] * 8
    assert [r.number for r in inherited] == [str(n) for n in range(1, 9)]
    mine = [r for r in rules if not r.inherited_from_id]
    assert [(r.number, r.text) for r in mine] == [("9", "Balas pesan warga dengan santun.")]
    assert draft.adopted_parent_version == parent_version
    with pytest.raises(ValidationError) as refused:
        services.rule_update(actor=side_a.users["humas"], rule=inherited[0], text="Diubah")
    assert refused.value.code == "inherited"
    with pytest.raises(ValidationError):
        services.rule_remove(actor=side_a.users["humas"], rule=inherited[0])


def test_adopting_needs_a_published_parent_code(side_a):
    with pytest.raises(ValidationError) as refused:
        services.code_adopt_parent(actor=side_a.users["humas"], institution=side_a.institution)
    assert refused.value.code == "parent_has_no_code"
    orphan = InstitutionFactory()
    with pytest.raises(ValidationError) as refused:
        services.code_adopt_parent(actor=None, institution=orphan)
    assert refused.value.code == "no_parent"


def test_children_are_told_when_the_parent_publishes_and_can_see_an_update(side_a, unscoped):
    parent, child = side_a.parent, side_a.institution
    parent_humas = make_member(parent, Role.PUBLIC_RELATIONS)
    version = services.code_start_from_template(actor=parent_humas, institution=parent, template_key="djpb")
    services.code_publish(actor=side_a.parent_users[Role.HEAD], version=version)
    told = Notification.objects.filter(institution=child, kind="governance.parent_code_published")
    assert {n.recipient for n in told} == {side_a.users["kepala"], side_a.users["humas"]}
    assert all("kode etik" in n.title.lower() for n in told)
    from django_scopes import scope

    with scope(institution=child):
        status = parent_code_status(child)
        assert status.update_available and status.parent_version == version
        services.code_publish(actor=side_a.users["kepala"],
                              version=services.code_adopt_parent(actor=side_a.users["humas"], institution=child))
        assert not parent_code_status(child).update_available


def test_a_discarded_draft_is_kept_but_no_longer_a_draft(side_a, unscoped):
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    services.code_draft_discard(actor=side_a.users["humas"], version=draft)
    draft.refresh_from_db()
    assert draft.state == CodeVersion.State.DISCARDED
    again = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    assert again.number == draft.number + 1


# ---------------------------------------------------------------- publication log


def test_a_post_is_logged_with_its_check(side_a, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution)
    publication = services.publication_create(
        actor=side_a.users["humas"], institution=side_a.institution, channel=account,
        published_at=timezone.now() - datetime.timedelta(hours=3), topic="Layanan KTP", source_verified=True,
        content_true=True, nothing_confidential=True, neutral=True, caption_matches=True,
        reviewed_by=side_a.users["kepala"],
    )
    assert publication.check_complete
    assert AuditEntry.objects.get(action="governance.publication.logged").data == {"channel": account.pk, "checks": 5}


@pytest.mark.parametrize("problem", ["future", "group", "archived", "informal", "other_institution", "stranger"])
def test_a_post_is_refused_for_what_cannot_be_right(side_a, side_b, unscoped, problem):
    account = OfficialAccountFactory(institution=side_a.institution)
    fields = {"channel": account, "published_at": timezone.now() - datetime.timedelta(hours=1), "topic": "Topik"}
    if problem == "future":
        fields["published_at"] = timezone.now() + datetime.timedelta(days=1)
    elif problem == "group":
        fields["channel"] = ChannelFactory(institution=side_a.institution)
    elif problem == "archived":
        fields["channel"] = OfficialAccountFactory(institution=side_a.institution, is_active=False)
    elif problem == "informal":
        fields["channel"] = OfficialAccountFactory(institution=side_a.institution, is_official=False)
    elif problem == "other_institution":
        fields["channel"] = OfficialAccountFactory(institution=side_b.institution)
    elif problem == "stranger":
        fields["reviewed_by"] = side_b.users["humas"]
    with pytest.raises(ValidationError):
        services.publication_create(actor=side_a.users["humas"], institution=side_a.institution, **fields)
    assert Publication.objects.count() == 0


def test_the_same_post_link_is_logged_once(side_a):
    account = OfficialAccountFactory(institution=side_a.institution)
    fields = {"channel": account, "published_at": timezone.now() - datetime.timedelta(hours=1), "topic": "Topik",
              "link": "https://www.instagram.com/p/abc/"}
    services.publication_create(actor=None, institution=side_a.institution, **fields)
    with pytest.raises(ValidationError) as refused:
        services.publication_create(actor=None, institution=side_a.institution, **fields)
    assert "link" in refused.value.message_dict


def test_updating_and_removing_a_logged_post_are_audited(side_a, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution)
    publication = services.publication_create(actor=None, institution=side_a.institution, channel=account,
                                              published_at=timezone.now() - datetime.timedelta(hours=1), topic="A")
    services.publication_update(actor=side_a.users["humas"], publication=publication, topic="B", neutral=True)
    publication.refresh_from_db()
    assert publication.topic == "B" and publication.neutral
    services.publication_delete(actor=side_a.users["humas"], publication=publication)
    assert not Publication.objects.exists()
    assert actions(side_a.institution)[-2:] == ["governance.publication.changed", "governance.publication.removed"]


def test_rules_added_to_a_draft_follow_their_numbers(side_a, unscoped):
    draft = services.code_version_start(actor=side_a.users["humas"], institution=side_a.institution)
    for number in ["10", "2", "A1", "1"]:
        services.rule_add(actor=None, version=draft, number=number, category="other", kind="prohibition", severity=2,
                          text=f"Aturan {number}")
    assert list(draft.rules.order_by("position").values_list("number", flat=True)) == ["1", "2", "10", "A1"]


def test_rule_factory_defaults_are_a_prohibition(db, unscoped):
    rule = RuleFactory(version=PublishedCodeFactory())
    assert rule.kind == RuleKind.PROHIBITION and isinstance(rule, Rule)
