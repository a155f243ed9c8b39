import re

from django.core import mail
from django.test import Client

from governance.models import Role
from governance.tests.factories import TEST_PASSWORD, InstitutionFactory, make_member


def test_password_reset_by_email_lets_a_person_choose_a_new_password(db):
    institution = InstitutionFactory()
    user = make_member(institution, Role.PUBLIC_RELATIONS, email="humas@madrasah.test")
    client = Client()
    response = client.post("/akun/password/reset/", {"email": "humas@madrasah.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["humas@madrasah.test"]
    link = re.search(r"http://testserver(/akun/password/reset/key/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "sandi-baru-yang-panjang", "password2": "sandi-baru-yang-panjang"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("sandi-baru-yang-panjang")


def test_unknown_address_gets_no_mail_and_learns_nothing(db):
    response = Client().post("/akun/password/reset/", {"email": "tidak-ada@contoh.test"})
    assert response.status_code == 302
    # allauth tells an unknown address that it has no account, without saying so on the page.
    assert all("tidak-ada@contoh.test" in m.to for m in mail.outbox)


def test_repeated_wrong_passwords_lock_the_address_for_a_while(db):
    institution = InstitutionFactory()
    make_member(institution, Role.STAFF, email="pegawai@madrasah.test")
    client = Client()
    for _ in range(5):
        response = client.post("/akun/login/", {"login": "pegawai@madrasah.test", "password": "salah"})
        assert "Terlalu banyak" not in response.content.decode()
    response = client.post("/akun/login/", {"login": "pegawai@madrasah.test", "password": TEST_PASSWORD})
    # Even the right password is refused while the limit holds, with a message saying why.
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_sign_in_attempts_from_one_address_get_429(db):
    client = Client()
    statuses = {client.post("/akun/login/", {"login": f"orang{i}@contoh.test", "password": "x"}).status_code
                for i in range(31)}
    assert 429 in statuses
