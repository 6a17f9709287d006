"""Fixtures shared by the client exercises: where Bytekeep is and a fresh organisation code per test.

Run by run-clients.sh, which starts Bytekeep and sets BYTES_API, BYTES_USERNAME and BYTES_PASSWORD as OpenKAT's
services read them (boefjes' and mula's settings, rocky's Django settings).
"""

import os
import uuid

import pytest


@pytest.fixture
def bytes_api() -> str:
    return os.environ["BYTES_API"]


@pytest.fixture
def credentials() -> tuple[str, str]:
    return os.environ["BYTES_USERNAME"], os.environ["BYTES_PASSWORD"]


@pytest.fixture
def organization() -> str:
    """Each test writes into an organisation of its own, so tests need no reset and see only their own data."""
    return "okc" + uuid.uuid4().hex[:12]
