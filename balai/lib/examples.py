"""Examples in the OpenAPI document: a schema's `model_config = example({...})`.

A client's developer (and SPLP, where the regency registers its APIs) reads
the example first; balai/core/tests/test_api_bounds.py checks that every
success response has one and that it fits its own schema.
"""

from pydantic import ConfigDict

# What a next_cursor looks like: sealed, so it reads as noise (balai.lib.listparams).
CURSOR = "gAAAAABrFDmJClm-FTGvaqUfesifsqjAsJMImwpO3Z7QiJNs-rienBIU-qgFODANDYriM9FOsUUv4vxPXvfA"


def example(value: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [value]})


def page_example(item: dict, **more) -> ConfigDict:
    """A list page's example: one item and the cursor of the next page."""
    return example({**more, "items": [item], "next_cursor": CURSOR})
