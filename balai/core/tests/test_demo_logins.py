"""The demo prints its logins; the demo admin enrols with a printed one-time code."""

import re
from io import StringIO

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.core.demo import DEMO_PASSWORD, seed
from balai.core.tests.browser import totp_code

VERIFY = "/akun/verifikasi/"


def test_the_demo_admin_enrols_with_the_printed_code(cast):
    cast.admin_totp.delete()
    cast.admin.set_password(DEMO_PASSWORD)
    cast.admin.save()
    out = StringIO()
    seed(out)
    code = re.search(r"enrolment code: (\S+)", out.getvalue()).group(1)
    client = Client()
    client.post("/akun/masuk/", {"username": "admin", "password": DEMO_PASSWORD})
    assert "<svg" in client.post(VERIFY, {"enrolment_code": code}, follow=True).content.decode()
    device = TOTPDevice.objects.get(user=cast.admin, confirmed=False)
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/staf/"
    again = StringIO()
    seed(again)  # once enrolled, no code is printed any more
    assert "enrolment code" not in again.getvalue()
