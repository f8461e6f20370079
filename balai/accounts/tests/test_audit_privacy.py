"""What the audit log tells beyond its scope: denials and addresses are the regency admin's.

A denied lookup's row names the object that was refused (its village and
internal id): shown to the person refused, it tells "exists but not yours"
from "does not exist". An IP address is personal data (UU PDP). Both are for
the regency admin alone.
"""

import pytest
from django.http import Http404
from django.urls import reverse

from balai.accounts.access import get_for_user_or_404
from balai.accounts.models import AuditLog

URL = reverse("accounts:audit-log")
NOT_ADMIN = [
    "operator_a",
    "secretary_a",
    "head_a",
    "district_a",
    "agency_officer",
    "command_center",
]


@pytest.fixture
def denial(cast):
    """Each staff member of the cast tries village B's row and is refused."""
    target = AuditLog.objects.create(action="example", village=cast.village_b)
    for who in ["operator_a", "secretary_a", "head_a", "district_a", "agency_officer"]:
        with pytest.raises(Http404):
            get_for_user_or_404(AuditLog.objects.all(), getattr(cast, who), pk=target.pk)
    return target


@pytest.mark.parametrize("who", NOT_ADMIN)
def test_denial_rows_are_hidden_from_everyone_but_the_regency_admin(cast, denial, who):
    rows = AuditLog.objects.for_user(getattr(cast, who))
    assert not rows.filter(action="access_denied").exists()


@pytest.mark.parametrize("who", ["agency_officer", "district_a", "operator_a"])
def test_the_refused_user_cannot_read_what_was_refused_on_the_page(
    cast, denial, login_as, client, who
):
    login_as(getattr(cast, who))
    page = client.get(URL).content.decode()
    assert "access_denied" not in page
    assert f"auditlog {denial.pk}<" not in page


def test_the_regency_admin_reads_every_denial(cast, denial, login_as, client):
    assert AuditLog.objects.for_user(cast.admin).filter(action="access_denied").count() == 5
    login_as(cast.admin)
    assert "access_denied" in client.get(URL).content.decode()


@pytest.fixture
def public_report_row(cast):
    """A row of a stranger's act in village A, with the address it came from."""
    return AuditLog.objects.create(action="probe_ip", village=cast.village_a, ip="203.0.113.77")


@pytest.mark.parametrize("who", ["operator_a", "secretary_a", "head_a", "district_a"])
def test_area_staff_see_the_row_without_its_ip(cast, public_report_row, login_as, client, who):
    login_as(getattr(cast, who))
    page = client.get(URL).content.decode()
    assert 'mono">probe_ip<' in page
    assert "203.0.113.77" not in page
    assert "Alamat IP" not in page


def test_the_command_center_sees_no_ip_either(cast, public_report_row, login_as, client):
    login_as(cast.command_center)
    page = client.get(URL).content.decode()
    assert 'mono">probe_ip<' in page
    assert "203.0.113.77" not in page


def test_the_regency_admin_sees_the_ip(cast, public_report_row, login_as, client):
    login_as(cast.admin)
    page = client.get(URL).content.decode()
    assert "203.0.113.77" in page
    assert "Alamat IP" in page
