"""The regency admin edits the routing table and local holidays; others may not."""

from balai.accounts.models import AuditLog
from balai.complaints.models import Category
from balai.regions.models import LocalHoliday


def test_the_regency_admin_edits_the_routing_table(client, login_as, cast, cats):
    login_as(cast.admin)
    assert client.get("/admin/complaints/category/").status_code == 200
    url = f"/admin/complaints/category/{cats.road.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "jalan-rusak",
            "name": "Jalan rusak",
            "agency": cast.other_agency.pk,
            "resolution_days": 7,
            "order": 0,
            "is_active": "on",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    cats.road.refresh_from_db()
    assert cats.road.agency == cast.other_agency and cats.road.resolution_days == 7
    assert AuditLog.objects.filter(
        action="admin_changed", object_type="complaints.category"
    ).exists()


def test_local_holidays_are_added_by_the_regency_admin(client, login_as, cast):
    login_as(cast.admin)
    response = client.post(
        "/admin/regions/localholiday/add/", {"date": "2026-12-15", "name": "Hari Jadi"}
    )
    assert response.status_code == 302
    assert LocalHoliday.objects.filter(name="Hari Jadi").exists()


def test_other_staff_cannot_edit_the_routing_table(client, login_as, cast, cats):
    login_as(cast.command_center)
    assert client.get("/admin/complaints/category/").status_code == 403
    assert Category.objects.get(code="jalan-rusak").agency == cast.agency
