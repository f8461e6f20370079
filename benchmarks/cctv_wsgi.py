"""The WSGI app bench_cctv.py serves with gunicorn: Balai plus a bare staff page.

The bare page is the baseline: a signed-in staff view rendering the site's
layout (base.html) without a query of its own, through the same middleware,
server and database as the CCTV pages.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

import balai.urls  # noqa: E402


@login_required
def bare_page(request):
    return render(request, "base.html")


balai.urls.urlpatterns.insert(0, path("bench/bare", bare_page))
clear_url_caches()
