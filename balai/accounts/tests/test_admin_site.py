"""The Django admin: regency admins only, through Balai's login, scoped, log read-only."""

import pytest
from django.urls import reverse

from balai.accounts import audit
from balai.accounts.models import AuditLog
from balai.accounts.tests.roles import NOT_REGENCY_ADMIN


def test_the_regency_admin_uses_the_admin(cast, login_as, client):
    login_as(cast.admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize("who", NOT_REGENCY_ADMIN)
def test_other_roles_are_refused_even_when_marked_staff(cast, login_as, client, who):
    user = getattr(cast, who)
    user.is_staff = True
    user.save()
    login_as(user)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/accounts/auditlog/").status_code == 403


def test_strangers_sign_in_through_balais_login_not_the_admins(db, client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


def test_an_admin_without_the_code_step_is_held_back(cast, client):
    client.force_login(cast.admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:second-factor"))


def test_the_audit_log_in_the_admin_is_scoped_and_read_only(cast, login_as, client):
    here = audit.record("probe_here", cast.village_a, user=cast.operator_a)
    there = audit.record("probe_there", cast.foreign_village, user=cast.operator_a)
    login_as(cast.admin)
    listing = client.get("/admin/accounts/auditlog/").content.decode()
    assert "probe_here" in listing
    assert "probe_there" not in listing
    assert client.get(f"/admin/accounts/auditlog/{there.pk}/change/").status_code == 302
    assert client.get("/admin/accounts/auditlog/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditlog/{here.pk}/delete/").status_code == 403
    client.post(f"/admin/accounts/auditlog/{here.pk}/change/", {"action": "nothing_happened"})
    here.refresh_from_db()
    assert here.action == "probe_here"
    assert AuditLog.objects.filter(pk=there.pk).exists()


def test_the_user_admin_lists_this_regencys_staff_only(cast, login_as, client):
    from balai.accounts.choices import Role
    from conftest import make_user

    make_user("operator_jember", Role.VILLAGE_OPERATOR, village=cast.foreign_village)
    login_as(cast.admin)
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "operator_a" in listing
    assert "operator_jember" not in listing


def test_writes_through_the_admin_are_audited(cast, login_as, client):
    login_as(cast.admin)
    village = cast.inactive_village
    response = client.post(f"/admin/regions/village/{village.code}/change/", {"is_active": "on"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.is_active and village.activated_at is not None
    assert AuditLog.objects.get(action="village_onboarded").object_id == village.code
    row = AuditLog.objects.get(action="admin_changed")
    assert (row.user, row.object_id, row.village_id) == (cast.admin, village.code, village.code)
    client.post(f"/admin/accounts/user/{cast.operator_b.pk}/delete/", {"post": "yes"})
    assert AuditLog.objects.filter(
        action="admin_deleted", object_id=str(cast.operator_b.pk)
    ).exists()


def test_an_admin_issues_another_admin_an_enrolment_code_from_the_user_list(cast, login_as, client):
    from balai.accounts.choices import Role
    from balai.accounts.models import EnrolmentCode
    from conftest import make_user

    second = make_user("admin2", Role.REGENCY_ADMIN, is_staff=True)
    login_as(cast.admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_code", "_selected_action": [second.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "admin2" in shown[0]
    code = shown[0].rsplit(" ", 1)[-1]
    row = AuditLog.objects.get(action="second_factor_code_issued")
    assert row.user == cast.admin and row.object_id == str(second.pk)
    assert second.enrolment_codes.usable().get().digest == EnrolmentCode.digest_of(code)
    # Several at once would put several secrets on one screen: one account at a time.
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_code", "_selected_action": [second.pk, cast.admin.pk]},
        follow=True,
    )
    assert "satu akun" in " ".join(str(m) for m in response.context["messages"])
    assert AuditLog.objects.filter(action="second_factor_code_issued").count() == 1
