"""Bytes' own API integration tests against a running Bytekeep: only their server set-up changes.

run-bytes-tests.sh copies this file to bytes/tests/integration/conftest.py of the OpenKAT checkout, where it overrides
the two fixtures of bytes/tests/conftest.py that know Bytes' deployment (pytest takes the nearer definition):

- bytes_api_client: Bytes' fixture runs alembic on Bytes' database, points tests/client.py at http://ci_bytes:8000
  and TRUNCATEs Bytes' tables afterwards. Here the same client (tests/client.py, unchanged, with the same settings
  fixture and so .ci/.env.test's BYTES_USERNAME/BYTES_PASSWORD) points at Bytekeep, and the Vault's tables are emptied
  before each test instead (Bytekeep migrates its own schema at start-up).
- event_manager: Bytes' RabbitMQEventManager on Bytekeep's broker instead of ci_rabbitmq; the body is Bytes' own.

Environment (set by run-bytes-tests.sh): BYTEKEEP_URL, BYTEKEEP_QUEUE_URI, and how to reach the Vault's database:
BYTEKEEP_RESET_PG_DSN (prod profile, PostgreSQL) or BYTEKEEP_RESET_H2_URL with BYTEKEEP_H2_JAR (embedded default, H2);
BYTEKEEP_RESET_TABLES names other tables (run-bytes-tests.sh bytes: Bytes' own, when the harness is checked on Bytes).
"""

import os
import subprocess
from collections.abc import Iterator

import psycopg2
import pytest

from bytes.config import Settings
from bytes.rabbitmq import RabbitMQEventManager
from tests.client import BytesAPIClient

# The Vault's rows, children first. What Bytes keeps in its database (boefje_meta, raw_file, normalizer_meta) and what
# Bytekeep keeps with it (mime types and their counters, proofs, the outbox of RawFileReceived events). Plain DELETEs:
# H2 cannot TRUNCATE a table that foreign keys point at.
VAULT_TABLES = [
    "normalizer_meta",
    "raw_file_proof",
    "proof_batch",
    "raw_file_mime_type",
    "raw_mime_type_count",
    "raw_file",
    "boefje_meta",
    "outbox_event",
]


def empty_the_vault() -> None:
    tables = os.environ["BYTEKEEP_RESET_TABLES"].split(",") if os.environ.get("BYTEKEEP_RESET_TABLES") else VAULT_TABLES
    statements = ";".join(f"DELETE FROM {table}" for table in tables)
    if os.environ.get("BYTEKEEP_RESET_PG_DSN"):
        with psycopg2.connect(os.environ["BYTEKEEP_RESET_PG_DSN"]) as connection, connection.cursor() as cursor:
            cursor.execute(statements)
        connection.close()
        return
    # The embedded default's H2 runs inside Bytekeep; AUTO_SERVER lets this second process in over TCP.
    subprocess.run(
        ["java", "-cp", os.environ["BYTEKEEP_H2_JAR"], "org.h2.tools.Shell", "-url", os.environ["BYTEKEEP_RESET_H2_URL"],
         "-user", "bytekeep", "-password", "", "-sql", statements],
        check=True, stdout=subprocess.DEVNULL, timeout=60,
    )


@pytest.fixture
def bytes_api_client(settings: Settings) -> Iterator[BytesAPIClient]:
    empty_the_vault()

    client = BytesAPIClient(os.environ["BYTEKEEP_URL"], settings.username, settings.password)
    client.login()

    yield client


@pytest.fixture
def event_manager(settings: Settings) -> Iterator[RabbitMQEventManager]:
    manager = RabbitMQEventManager(os.environ["BYTEKEEP_QUEUE_URI"])
    manager.channel.queue_delete("raw_file_received")

    yield manager
