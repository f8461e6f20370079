"""The DCAT-AP catalogue of the datasets as RDF (Turtle, JSON-LD), paged the way
ckanext-dcat pages /catalog.{format}: `?page=N`, and a hydra:PagedCollection
node with totalItems, itemsPerPage and first/last/next/previous page URLs, so
a DCAT harvester walks Balai as it walks a CKAN site."""

from __future__ import annotations

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from balai.opendata import datasets

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
PER_PAGE = 100  # ckanext-dcat's ckanext.dcat.datasets_per_page
FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
}
MEDIA = {"csv": "text/csv", "json": "application/json"}


def pages() -> int:
    return max(1, -(-len(datasets.DATASETS) // PER_PAGE))


def catalogue(page: int, fmt: str) -> bytes:
    site = settings.SITE_URL
    graph = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("hydra", HYDRA)):
        graph.bind(prefix, ns)
    graph.bind("vcard", VCARD)
    catalog = URIRef(f"{site}/")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Balai {datasets.spatial()['name']}", lang="id")))
    graph.add((catalog, FOAF.homepage, URIRef(f"{site}/data/")))
    graph.add((catalog, DCTERMS.language, Literal("id")))
    graph.add((catalog, DCTERMS.publisher, _agent(graph, datasets.regency_organization())))
    shown = datasets.DATASETS[(page - 1) * PER_PAGE : page * PER_PAGE]
    for dataset in shown:
        graph.add((catalog, DCAT.dataset, _dataset(graph, dataset)))
    _paging(graph, page, fmt)
    return graph.serialize(format=FORMATS[fmt][0], encoding="utf-8")


def _paging(graph: Graph, page: int, fmt: str) -> None:
    base = f"{settings.SITE_URL}/catalog.{fmt}"
    node = URIRef(f"{base}?page={page}")
    last = pages()
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(len(datasets.DATASETS))))
    graph.add((node, HYDRA.itemsPerPage, Literal(PER_PAGE)))
    graph.add((node, HYDRA.firstPage, Literal(f"{base}?page=1")))
    graph.add((node, HYDRA.lastPage, Literal(f"{base}?page={last}")))
    if page < last:
        graph.add((node, HYDRA.nextPage, Literal(f"{base}?page={page + 1}")))
    if page > 1:
        graph.add((node, HYDRA.previousPage, Literal(f"{base}?page={page - 1}")))


def _agent(graph: Graph, org: dict) -> URIRef:
    node = URIRef(f"{settings.SITE_URL}/data/organisasi/{org['name']}")
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(org["title"])))
    return node


def _dataset(graph: Graph, dataset: datasets.Dataset) -> URIRef:
    site = settings.SITE_URL
    table = dataset.table()
    node = URIRef(f"{site}/data/{dataset.name}/")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.name)))
    graph.add((node, DCTERMS.title, Literal(str(dataset.title), lang="id")))
    graph.add((node, DCTERMS.description, Literal(str(dataset.notes), lang="id")))
    graph.add((node, DCTERMS.publisher, _agent(graph, datasets.publisher(dataset))))
    graph.add((node, DCTERMS.license, URIRef(datasets.LICENSE["url"])))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY + dataset.frequency)))
    graph.add((node, DCTERMS.modified, Literal(table.modified, datatype=XSD.dateTime)))
    graph.add((node, DCAT.landingPage, URIRef(f"{site}/data/{dataset.name}/")))
    graph.add(
        (
            node,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/IND"),
        )
    )
    for tag in dataset.tags:
        graph.add((node, DCAT.keyword, Literal(tag, lang="id")))
    if table.first or table.last:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if table.first:
            graph.add((period, DCAT.startDate, Literal(table.first, datatype=XSD.date)))
        if table.last:
            graph.add((period, DCAT.endDate, Literal(table.last, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    area = datasets.spatial()
    place = BNode()
    graph.add((place, RDF.type, DCTERMS.Location))
    graph.add((place, SKOS.prefLabel, Literal(area["name"], lang="id")))
    graph.add((place, SKOS.notation, Literal(area["code"])))  # Kemendagri code
    graph.add((node, DCTERMS.spatial, place))
    for fmt, media in MEDIA.items():
        url = URIRef(f"{site}/data/{dataset.name}.{fmt}")
        dist = URIRef(f"{site}/data/{dataset.name}/#{fmt}")
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(f"{dataset.title} ({fmt.upper()})", lang="id")))
        graph.add((dist, DCAT.accessURL, url))
        graph.add((dist, DCAT.downloadURL, url))
        graph.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
        graph.add((dist, DCTERMS["format"], Literal(fmt.upper())))
        graph.add((dist, DCTERMS.license, URIRef(datasets.LICENSE["url"])))
        graph.add((dist, DCTERMS.modified, Literal(table.modified, datatype=XSD.dateTime)))
        graph.add((node, DCAT.distribution, dist))
    return node
