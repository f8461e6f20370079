"""The regency admin's integration pages: API clients, their subscriptions,
the delivery log with replay, and the log of API calls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balai.accounts import actions as account_actions
from balai.accounts.access import require_role
from balai.accounts.choices import Role
from balai.accounts.models import ApiCall, ApiClient
from balai.lib.pager import paginate
from balai.webhooks import actions
from balai.webhooks.forms import CallFilterForm, ClientForm, SubscriptionForm
from balai.webhooks.models import Delivery, Subscription

NEW_SECRET = "balai_webhooks_new_secret"  # noqa: S105 - a session key's name
PAGE_SIZE = 50


def _admin(request) -> None:
    require_role(request.user, Role.REGENCY_ADMIN)


@never_cache
@login_required
def index(request):
    _admin(request)
    clients = ApiClient.objects.select_related("user", "user__village", "user__agency")
    subscriptions = Subscription.objects.for_user(request.user).select_related("client")
    return render(
        request,
        "webhooks/index.html",
        {
            "clients": clients.order_by("name"),
            "subscriptions": subscriptions,
            "client_form": ClientForm(),
            "subscription_form": SubscriptionForm(),
            "new_secret": request.session.pop(NEW_SECRET, None),
        },
    )


@require_POST
@login_required
def create_client(request):
    _admin(request)
    form = ClientForm(data=request.POST)
    if not form.is_valid():
        return render(request, "webhooks/form.html", {"form": form, "action": "client"})
    data = form.cleaned_data
    account_actions.create_api_client(
        data["name"],
        scopes=data["scopes"],
        description=data["description"],
        by=request.user,
        **form.reach_fields(),
    )
    messages.success(request, _("Aplikasi klien %(name)s dibuat.") % {"name": data["name"]})
    return redirect("webhooks:index")


@require_POST
@login_required
def create_subscription(request):
    _admin(request)
    form = SubscriptionForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscription, secret = actions.create_subscription(
                data["client"], data["url"], data["kinds"], by=request.user,
                description=data["description"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_SECRET] = secret  # shown once, on the page redirected to
            return redirect("webhooks:subscription", pk=subscription.pk)
    return render(request, "webhooks/form.html", {"form": form, "action": "subscription"})


@never_cache
@login_required
def subscription(request, pk):
    _admin(request)
    found = get_object_or_404(Subscription.objects.for_user(request.user), pk=pk)
    deliveries = Delivery.objects.for_user(request.user).filter(subscription=found)
    page = paginate(
        deliveries.select_related("event").prefetch_related("attempt_log"), request.GET, PAGE_SIZE
    )
    new_secret = request.session.pop(NEW_SECRET, None)
    context = {"subscription": found, "page": page, "new_secret": new_secret}
    return render(request, "webhooks/subscription.html", context)


@require_POST
@login_required
def subscription_action(request, pk, verb):
    _admin(request)
    if verb not in ("rotate", "disable", "enable"):
        raise Http404
    found = get_object_or_404(Subscription.objects.for_user(request.user), pk=pk)
    try:
        if verb == "rotate":
            request.session[NEW_SECRET] = actions.rotate_secret(found, by=request.user)
        elif verb == "disable":
            actions.disable(found, "manual", by=request.user)
        else:
            actions.enable(found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("webhooks:subscription", pk=found.pk)


@require_POST
@login_required
def replay(request, pk):
    _admin(request)
    found = get_object_or_404(
        Delivery.objects.for_user(request.user).select_related("subscription", "event"), pk=pk
    )
    try:
        actions.replay(found, by=request.user)
        messages.success(request, _("Pengiriman %(id)s diantrekan ulang.") % {"id": found.pk})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("webhooks:subscription", pk=found.subscription_id)


@never_cache
@login_required
def calls(request):
    _admin(request)
    form = CallFilterForm(data=request.GET or None)
    rows = ApiCall.objects.select_related("client", "token")
    if form.is_valid():
        rows = rows.filtered(client=form.cleaned_data["client"])
    page = paginate(rows, request.GET, PAGE_SIZE)
    return render(request, "webhooks/calls.html", {"form": form, "page": page})
