"""Reporters' phone numbers kept before balai.lib.phones are rewritten in its one
stored form (migration 0005); what it cannot read stays as typed."""

import pytest

from balai.complaints.models import Complaint
from balai.core.tests.migrations import run_python

TYPED = {
    "0812-3456-7890": "6281234567890",
    "+62 812 3456 7890": "6281234567890",
    "(0334) 881234": "62334881234",
    "hubungi lewat RT": "hubungi lewat RT",
    "": "",
}


@pytest.mark.django_db
def test_reporters_phones_are_rewritten_in_the_stored_form(file_report):
    reports = {typed: file_report()[0] for typed in TYPED}
    for typed, report in reports.items():
        Complaint.objects.filter(pk=report.pk).update(reporter_phone=typed)

    run_python("complaints", "0005_normalise_phones", "normalise_phones")

    for typed, report in reports.items():
        report.refresh_from_db()
        assert report.reporter_phone == TYPED[typed]
