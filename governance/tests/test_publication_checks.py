"""Posts of official accounts go draft → checked → published; the five checks before publishing
(seeds 002 and 004) are recorded by someone other than the writer when there is more than one Humas,
and a post logged as published without its check is shown as such."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import selectors, services
from governance.models import AuditEntry, Publication, Role
from governance.tenancy import access_for
from governance.tests.conftest import client_for
from governance.tests.factories import OfficialAccountFactory, make_member

ALL_YES = dict.fromkeys(Publication.CHECKS, True)


def url(side, name, **kwargs):
    return reverse(f"governance:{name}", kwargs={"institution": side.institution.slug, **kwargs})


@pytest.fixture
def world(side_a, unscoped):
    side_a.account = OfficialAccountFactory(institution=side_a.institution)
    side_a.writer = side_a.users[Role.PUBLIC_RELATIONS]
    side_a.checker = make_member(side_a.institution, Role.PUBLIC_RELATIONS, email="humas2.a@contoh.test")
    return side_a


def draft(world, topic="Peringatan HAB Kemenag"):
    return services.publication_draft(actor=world.writer, institution=world.institution, channel=world.account,
                                      topic=topic)


def test_a_draft_is_checked_by_another_humas_and_then_marked_published(world):
    writer, checker = client_for(world.writer), client_for(world.checker)
    response = writer.post(url(world, "publication_draft"), {"channel": world.account.pk, "topic": "Rapat dinas"})
    assert response.status_code == 302
    post = Publication.objects.get()
    assert post.state == Publication.State.DRAFT and post.published_at is None

    form = {name: "on" for name in Publication.CHECKS} | {"neutral_note": "Tidak ada atribut partai."}
    assert checker.post(url(world, "publication_check", pk=post.pk), form).status_code == 302
    post.refresh_from_db()
    assert post.state == Publication.State.CHECKED and post.reviewed_by == world.checker
    assert post.check_notes == {"neutral": "Tidak ada atribut partai."}

    when = timezone.localtime(timezone.now() - datetime.timedelta(minutes=30), world.institution.tzinfo)
    response = writer.post(url(world, "publication_publish", pk=post.pk), {
        "published_at": when.strftime("%Y-%m-%dT%H:%M"), "link": "https://www.instagram.com/p/rapat/"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_published and post.checked_before_publishing and not post.published_unchecked
    assert post.link == "https://www.instagram.com/p/rapat/"
    actions = list(AuditEntry.objects.filter(target_id=str(post.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["governance.publication.drafted", "governance.publication.checked",
                       "governance.publication.published"]
    body = writer.get(url(world, "publication_list")).content.decode()
    assert "Belum diperiksa sebelum terbit" not in body


def test_the_writer_may_not_check_their_own_post_when_there_is_another_humas(world):
    post = draft(world)
    response = client_for(world.writer).post(url(world, "publication_check", pk=post.pk),
                                             {name: "on" for name in Publication.CHECKS})
    assert response.status_code == 200
    assert "Petugas Humas lain harus memeriksa unggahan ini" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Publication.State.DRAFT and post.reviewed_by is None
    with pytest.raises(ValidationError):
        services.publication_check(actor=world.writer, publication=post, answers=ALL_YES)


def test_a_sole_humas_checks_their_own_post(side_a, unscoped):
    account = OfficialAccountFactory(institution=side_a.institution)
    humas = side_a.users[Role.PUBLIC_RELATIONS]
    post = services.publication_draft(actor=humas, institution=side_a.institution, channel=account, topic="Upacara")
    post = services.publication_check(actor=humas, publication=post, answers=ALL_YES)
    assert post.state == Publication.State.CHECKED


def test_a_failed_check_sends_the_draft_back_with_the_reason(world):
    post = draft(world)
    response = client_for(world.checker).post(url(world, "publication_check", pk=post.pk), {
        **{name: "on" for name in Publication.CHECKS if name != "nothing_confidential"},
        "nothing_confidential_note": "Papan tulis rapat terlihat di foto."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == Publication.State.DRAFT and not post.checked_before_publishing
    assert "Papan tulis rapat terlihat di foto." in post.returned_reason
    body = client_for(world.writer).get(url(world, "publication_list")).content.decode()
    assert "Papan tulis rapat terlihat di foto." in body
    # Only a checked post can be marked published.
    assert "publish" not in selectors.publication_actions(world.writer, access_for(world.writer, world.institution), post)
    assert client_for(world.writer).get(url(world, "publication_publish", pk=post.pk)).status_code == 404
    with pytest.raises(ValidationError):
        services.publication_mark_published(actor=world.writer, publication=post, published_at=timezone.now())


def test_a_post_logged_without_its_check_is_marked_and_a_later_check_does_not_count(world):
    logged = services.publication_create(actor=world.writer, institution=world.institution, channel=world.account,
                                         published_at=timezone.now() - datetime.timedelta(hours=3), topic="Lomba")
    assert logged.published_unchecked
    body = client_for(world.checker).get(url(world, "publication_list")).content.decode()
    assert "Belum diperiksa sebelum terbit" in body
    assert url(world, "publication_check", pk=logged.pk) in body

    checked = services.publication_check(actor=world.checker, publication=logged, answers=ALL_YES)
    assert checked.is_published and checked.check_complete and not checked.checked_before_publishing
    assert "Belum diperiksa sebelum terbit" in client_for(world.writer).get(url(world, "publication_list")).content.decode()
    # Checked once afterwards: no second check is offered.
    assert "check" not in selectors.publication_actions(world.checker, access_for(world.checker, world.institution),
                                                        checked)


def test_the_actions_offered_are_what_the_services_accept(world):
    posts = {"draft": draft(world)}
    posts["checked"] = services.publication_check(actor=world.checker, publication=draft(world, "Dua"), answers=ALL_YES)
    posts["logged"] = services.publication_create(actor=world.writer, institution=world.institution,
                                                  channel=world.account, published_at=timezone.now(), topic="Tiga")
    for user in (world.writer, world.checker, world.users[Role.HEAD]):
        access = access_for(user, world.institution)
        for name, post in posts.items():
            actions = selectors.publication_actions(user, access, post)
            may_manage = access.has("governance.manage_publications")
            expected_check = may_manage and selectors.publication_check_refusal(user, post) is None
            assert ("check" in actions) == expected_check, (user, name)
            assert ("publish" in actions) == (may_manage and name == "checked"), (user, name)
    # The page shows a button exactly for each action.
    body = client_for(world.writer).get(url(world, "publication_list")).content.decode()
    assert url(world, "publication_check", pk=posts["draft"].pk) not in body  # the writer's own draft
    assert url(world, "publication_publish", pk=posts["checked"].pk) in body
    assert url(world, "publication_publish", pk=posts["draft"].pk) not in body
    assert url(world, "publication_check", pk=posts["logged"].pk) not in body  # also written by them
    body = client_for(world.checker).get(url(world, "publication_list")).content.decode()
    assert url(world, "publication_check", pk=posts["draft"].pk) in body
    assert url(world, "publication_check", pk=posts["logged"].pk) in body
    assert url(world, "publication_check", pk=posts["checked"].pk) not in body


def test_changing_a_checked_post_sends_it_back_to_draft(world):
    post = services.publication_check(actor=world.checker, publication=draft(world), answers=ALL_YES)
    response = client_for(world.writer).post(url(world, "publication_edit", pk=post.pk), {
        "channel": world.account.pk, "topic": "Peringatan HAB Kemenag ke-79"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == Publication.State.DRAFT and post.reviewed_by is None and not post.checked_before_publishing
    assert post.topic == "Peringatan HAB Kemenag ke-79" and post.published_at is None
