"""Fixtures for the letters tests. Signing: a private data dir with the demo PKI in it."""

import pytest

from balai.letters import pki


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    pki.clear_signer_cache()
    yield tmp_path
    pki.clear_signer_cache()


@pytest.fixture
def demo_pki(data_dir, cast):
    pki.init_demo_pki([cast.head_a, cast.head_b])
    return pki.pki_dir()


from balai.letters.tests.world import *  # noqa: E402, F403 - the workflow's fixtures
