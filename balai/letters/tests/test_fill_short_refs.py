"""The migration's step that gives existing requests a short reference, in batches."""

from balai.letters.models import LetterRequest
from balai.letters.tests.world import submit
from balai.lib import tracking


def test_rows_without_a_short_reference_get_distinct_valid_ones(world):
    requests = [submit(world) for _ in range(5)]
    kept = requests[0].short_ref
    LetterRequest.objects.exclude(pk=requests[0].pk).update(short_ref=None)
    tracking.fill_short_refs(LetterRequest, batch_size=2)  # two full batches and a rest
    refs = list(LetterRequest.objects.values_list("short_ref", flat=True))
    assert None not in refs and len(set(refs)) == 5
    assert LetterRequest.objects.get(pk=requests[0].pk).short_ref == kept
    assert all(tracking.normalise_short(ref) == ref for ref in refs)
