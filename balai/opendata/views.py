import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from balai.accounts.ratelimit import is_ratelimited, ratelimit
from balai.lib.tables import to_csv
from balai.opendata import ckan, datasets, dcat

MAX_BODY = 10_000  # an action's JSON parameters
PREVIEW_ROWS = 20


def _dataset(name: str) -> datasets.Dataset:
    dataset = datasets.BY_NAME.get(name)
    if dataset is None:
        raise Http404
    return dataset


@require_GET
@ratelimit(key="ip", rate="120/m", block=True)
def dataset_list(request):
    items = [(d, datasets.publisher(d)) for d in datasets.DATASETS]
    return render(request, "opendata/list.html", {"items": items})


@require_GET
@ratelimit(key="ip", rate="120/m", block=True)
def dataset_detail(request, name):
    dataset = _dataset(name)
    table = dataset.table()
    context = {
        "dataset": dataset,
        "table": table,
        "preview": table.rows[:PREVIEW_ROWS],
        "publisher": datasets.publisher(dataset),
        "license": datasets.LICENSE,
        "frequency": datasets.FREQUENCIES[dataset.frequency],
        "spatial": datasets.spatial(),
    }
    return render(request, "opendata/detail.html", context)


@require_GET
@ratelimit(key="ip", rate="60/m", block=True)
def download(request, name, fmt):
    dataset = _dataset(name)
    table = dataset.table()
    if fmt == "csv":
        response = HttpResponse(to_csv(table.columns, table.rows), content_type="text/csv")
    else:
        rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        response = JsonResponse({"dataset": dataset.name, "rows": rows})
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.{fmt}"'
    return response


@require_GET
@ratelimit(key="ip", rate="60/m", block=True)
def catalogue(request, fmt):
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= dcat.pages():
        return HttpResponse(
            f"page: a whole number from 1 to {dcat.pages()}",
            status=400 if not page.isdigit() or int(page) < 1 else 404,
            content_type="text/plain; charset=utf-8",
        )
    body = dcat.catalogue(int(page), fmt)
    return HttpResponse(body, content_type=dcat.FORMATS[fmt][1])


def _envelope(request, action: str, **body) -> dict:
    return {"help": f"{settings.SITE_URL}/api/3/action/help_show?name={action}", **body}


def _params(request) -> dict:
    if request.method == "GET":
        return request.GET.dict()
    if len(request.body) > MAX_BODY:
        raise ckan.ActionError(400, "Bad request", message=f"At most {MAX_BODY} bytes")
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        raise ckan.ActionError(400, "Bad request", message="JSON Error: not JSON") from None
    if not isinstance(params, dict):
        raise ckan.ActionError(400, "Bad request", message="JSON Error: not an object")
    return params


@csrf_exempt  # read-only actions; ckanapi sends their parameters as a JSON POST
@require_http_methods(["GET", "POST"])
def action(request, name):
    if is_ratelimited(request, group="opendata:api", key="ip", rate="300/m", increment=True):
        error = {"__type": "Rate Limit", "message": "Too many requests: try again in a minute"}
        return JsonResponse(_envelope(request, name, success=False, error=error), status=429)
    try:
        if name not in ckan.ACTIONS:
            raise ckan.not_found(f"Action name not known: {name}")
        result = ckan.ACTIONS[name](_params(request))
    except ckan.ActionError as exc:
        body = _envelope(request, name, success=False, error=exc.error)
        return JsonResponse(body, status=exc.status)
    return JsonResponse(_envelope(request, name, success=True, result=result))
