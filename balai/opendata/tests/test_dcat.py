"""The DCAT-AP catalogue as a harvester reads it: rdflib parses /catalog.jsonld
and /catalog.ttl from a live server, follows hydra paging, and finds every
dataset with its title, publisher, licence and distributions that download."""

import csv
import io
import urllib.request

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from balai.opendata import dcat
from balai.opendata.datasets import BY_NAME, DATASETS

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
pytestmark = pytest.mark.django_db(transaction=True)


def _harvest(first_url: str, fmt: str) -> tuple[Graph, int]:
    """Every page, following hydra:nextPage, into one graph; and the page count."""
    graph, pages = Graph(), 0
    url: str | None = first_url
    while url:
        page = Graph().parse(url, format=fmt)
        pages += 1
        graph += page
        node = next(page.subjects(RDF.type, HYDRA.PagedCollection))
        assert int(str(page.value(node, HYDRA.totalItems))) == len(DATASETS)
        following = page.value(node, HYDRA.nextPage)
        url = str(following) if following else None
    return graph, pages


@pytest.mark.parametrize("fmt, parser", [("jsonld", "json-ld"), ("ttl", "turtle")])
def test_a_harvester_finds_every_dataset_across_pages(site, monkeypatch, fmt, parser):
    monkeypatch.setattr(dcat, "PER_PAGE", 3)
    graph, pages = _harvest(f"{site}/catalog.{fmt}", parser)
    assert pages == 2
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    found = set(graph.objects(catalog, DCAT.dataset))
    assert found == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert {str(graph.value(d, DCTERMS.identifier)) for d in found} == {d.name for d in DATASETS}
    for dataset in found:
        assert graph.value(dataset, DCTERMS.title)
        assert graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)
        assert graph.value(dataset, DCTERMS.license) == URIRef(
            "https://creativecommons.org/licenses/by/4.0/"
        )
        assert graph.value(dataset, DCTERMS.accrualPeriodicity)
        assert graph.value(dataset, DCTERMS.modified)
        place = graph.value(dataset, DCTERMS.spatial)
        assert str(graph.value(place, SKOS.notation)) == "35.08"  # Kemendagri code
        assert graph.value(graph.value(dataset, DCTERMS.temporal), DCAT.endDate)
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            url = str(graph.value(distribution, DCAT.downloadURL))
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                assert response.status == 200
                body = response.read()
            if url.endswith(".csv"):
                header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                name = str(graph.value(dataset, DCTERMS.identifier))
                assert header == BY_NAME[name].table().columns


def test_pages_out_of_range_are_refused(site):
    for page, status in (("0", 400), ("x", 400), ("99", 404), ("9" * 40, 404)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{site}/catalog.ttl?page={page}", timeout=10)  # noqa: S310
        assert refused.value.code == status
