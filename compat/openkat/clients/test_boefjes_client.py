"""boefjes' Bytes client (boefjes/boefjes/clients/bytes_client.py, unchanged) against Bytekeep, called as boefjes calls it.

Call sites (OpenKAT cae5e26): the local boefje worker (boefjes/worker/boefje_handler.py: LocalBoefjeHandler.handle ->
save_output, copy_raw_files -> _copy_raw_files -> save_output), the docker boefje runner and the normalizer handler
(boefjes/job_handler.py: DockerBoefjeHandler.handle, copy_raw_files, LocalNormalizerHandler.handle), and the boefje
output API (boefjes/api.py: boefje_output). The local worker runs for real here, on a boefje of our own
(compat_plugins/kat_compat_echo); the others import docker or the katalogus database, so their Bytes calls are made
here in the same order with the same arguments, each citing its line.
"""

import os
import uuid
from base64 import b64decode, b64encode
from datetime import datetime, timezone
from pathlib import Path

import pytest

# boefjes' settings are read at import; only BYTES_* matter here, the other services are never called
for name, value in {
    "KATALOGUS_DB_URI": "postgresql://unused:unused@127.0.0.1:5432/unused",
    "SCHEDULER_API": "http://127.0.0.1:9",
    "KATALOGUS_API": "http://127.0.0.1:9",
    "OCTOPOES_API": "http://127.0.0.1:9",
    "BOEFJES_API": "http://127.0.0.1:9",
}.items():
    os.environ.setdefault(name, value)

from httpx import HTTPError, HTTPStatusError  # noqa: E402

from boefjes.clients.bytes_client import BytesAPIClient  # noqa: E402
from boefjes.worker.boefje_handler import LocalBoefjeHandler, _copy_raw_files  # noqa: E402
from boefjes.worker.interfaces import BoefjeOutput, File, StatusEnum, Task, TaskStatus  # noqa: E402
from boefjes.worker.job_models import Boefje, BoefjeMeta, Normalizer, NormalizerMeta, RawDataMeta  # noqa: E402
from boefjes.worker.repository import LocalPluginRepository, _default_mime_types  # noqa: E402

PLUGINS = Path(__file__).parent / "compat_plugins"


@pytest.fixture
def client(bytes_api, credentials) -> BytesAPIClient:
    # as boefjes/job_handler.py:24 and boefjes/api.py:56 construct it
    return BytesAPIClient(bytes_api, username=credentials[0], password=credentials[1])


def boefje_meta(organization: str, boefje_id: str = "kat_compat_echo", **arguments) -> BoefjeMeta:
    """A boefje task's data as the scheduler hands it to the worker (not yet started)."""
    return BoefjeMeta(
        id=uuid.uuid4(),
        boefje=Boefje(id=boefje_id, version=None),
        input_ooi="Hostname|internet|example.org",
        arguments={"input": {"object_type": "Hostname", "name": "example.org", "network": "Network|internet"}}
        | arguments,
        organization=organization,
        environment={"COMPAT": "1"},
    )


def task(data: BoefjeMeta | NormalizerMeta) -> Task:
    now = datetime.now(timezone.utc)
    return Task(id=data.id, scheduler_id="boefje-test", schedule_id=None, organisation=data.organization
                if isinstance(data, BoefjeMeta) else data.raw_data.boefje_meta.organization, priority=1,
                status=TaskStatus.RUNNING, type="boefje", data=data, created_at=now, modified_at=now)


def run_local_boefje(client: BytesAPIClient, meta: BoefjeMeta):
    os.chdir(Path(__file__).parent)  # LocalPluginRepository imports plugins relative to the working directory
    handler = LocalBoefjeHandler(LocalPluginRepository(PLUGINS), client)
    return handler, handler.handle(task(meta))


def test_local_boefje_run_is_stored_and_read_back(client, organization):
    meta = boefje_meta(organization)
    handler, (stored_meta, output) = run_local_boefje(client, meta)

    # worker/boefje_handler.py:124 save_output -> save_boefje_meta + save_raws (JSON bodies without Content-Type)
    assert output.status == StatusEnum.COMPLETED
    read = client.get_boefje_meta(str(meta.id))  # job_handler.py:84
    assert read.id == meta.id
    assert read.boefje.id == "kat_compat_echo"
    assert read.input_ooi == meta.input_ooi
    assert read.arguments == meta.arguments
    assert read.environment == {"COMPAT": "1"}
    assert read.organization == organization
    assert read.started_at == stored_meta.started_at and read.ended_at == stored_meta.ended_at

    # job_handler.py:111 get_raws(boefje_meta_id) -> BoefjeOutput; no limit sent, Bytes' default is 1: the first file
    raws = client.get_raws(str(meta.id))
    assert len(raws.files) == 1
    first = raws.files[0]
    assert b64decode(first.content) == b'{"hostname": "example.org"}'

    # the raw id is the file's name there; job_handler.py:133 get_raw, and get_raw_meta
    assert client.get_raw(first.name) == b'{"hostname": "example.org"}'
    raw_meta = client.get_raw_meta(first.name)
    assert raw_meta.id == uuid.UUID(first.name)
    assert raw_meta.boefje_meta.id == meta.id
    assert {m["value"] for m in raw_meta.mime_types} == {"boefje/kat_compat_echo", "openkat/compat-echo"}


def test_binary_output_round_trips(client, organization):
    meta = boefje_meta(organization)
    meta.started_at = meta.ended_at = datetime.now(timezone.utc)
    output = BoefjeOutput(status=StatusEnum.COMPLETED, files=[
        File(name="0", content=b64encode(bytes(range(256)) * 40).decode(), tags={"boefje/kat_compat_echo", "x/bin"}),
    ])
    ids = client.save_output(meta, output)  # worker/boefje_handler.py:124
    assert set(ids) == {"0"}
    assert client.get_raw(str(ids["0"])) == bytes(range(256)) * 40


def test_failing_local_boefje_stores_its_traceback_as_failed(client, organization):
    meta = boefje_meta(organization, fail=True)
    with pytest.raises(RuntimeError, match="asked to fail"):
        run_local_boefje(client, meta)

    # worker/boefje_handler.py:88 the traceback is the only file, tagged error/boefje
    raws = client.get_raws(str(meta.id))
    assert len(raws.files) == 1
    assert "asked to fail" in b64decode(raws.files[0].content).decode()
    assert {m["value"] for m in client.get_raw_meta(raws.files[0].name).mime_types} == {
        "boefje/kat_compat_echo", "error/boefje"}


def test_duplicated_tasks_get_copies_of_the_raw_files(client, organization):
    meta = boefje_meta(organization)
    handler, output = run_local_boefje(client, meta)
    duplicate = boefje_meta(organization)

    # worker/boefje_handler.py:161 copy_raw_files -> _copy_raw_files -> save_output for each duplicated task
    handler.copy_raw_files(task(meta), output, [task(duplicate)])
    copied = client.get_boefje_meta(str(duplicate.id))
    assert copied.started_at == output[0].started_at and copied.ended_at == output[0].ended_at
    assert b64decode(client.get_raws(str(duplicate.id)).files[0].content) == b'{"hostname": "example.org"}'

    # job_handler.py:110-113 (docker boefjes): what get_raws returned is saved again for the duplicate
    again = boefje_meta(organization)
    _copy_raw_files(client, client.get_boefje_meta(str(meta.id)), client.get_raws(str(meta.id)), [task(again)])
    assert b64decode(client.get_raws(str(again.id)).files[0].content) == b'{"hostname": "example.org"}'


def test_docker_boefje_that_did_not_call_the_output_api(client, organization):
    meta = boefje_meta(organization, boefje_id="kat_compat_docker")
    stderr_mime_types = _default_mime_types(meta.boefje)
    meta.started_at = datetime.now(timezone.utc)

    # job_handler.py:83-93: the container died; is there a boefje meta? No (404) -> save the meta and its stderr
    client.login()
    with pytest.raises(HTTPError) as missing:
        client.get_boefje_meta(str(meta.id))
    assert isinstance(missing.value, HTTPStatusError) and missing.value.response.status_code == 404

    meta.ended_at = datetime.now(timezone.utc)
    client.save_boefje_meta(meta)
    raw_id = client.save_raw(str(meta.id), b"Traceback: container exited 1", stderr_mime_types)
    assert isinstance(raw_id, uuid.UUID)

    # job_handler.py:72-74: status still running -> the container logs, tagged error/boefje as well
    other = boefje_meta(organization, boefje_id="kat_compat_docker")
    other.started_at = other.ended_at = datetime.now(timezone.utc)
    client.save_boefje_meta(other)
    client.save_raw(str(other.id), "container logs as str", stderr_mime_types.union({"error/boefje"}))
    raws = client.get_raws(str(other.id))
    assert b64decode(raws.files[0].content) == b"container logs as str"


def test_boefje_output_api(client, organization):
    """boefjes/api.py:91-103: a containerised boefje posts its output; the API stores it."""
    meta = boefje_meta(organization, boefje_id="kat_compat_oci")
    meta.started_at = datetime.now(timezone.utc)
    meta.ended_at = datetime.now(timezone.utc)
    output = BoefjeOutput(status=StatusEnum.COMPLETED, files=[
        File(name="nmap.xml", content=b64encode(b"<nmaprun/>").decode(), tags={"openkat/nmap"}),
        File(name="log", content=b64encode(b"done").decode(), tags=None),
    ])
    mime_types = _default_mime_types(meta.boefje)
    for file in output.files:
        file.tags = set(mime_types.union(file.tags)) if file.tags else set(mime_types)

    client.login()
    client.save_boefje_meta(meta)
    ids = client.save_raws(meta.id, output)
    assert set(ids) == {"nmap.xml", "log"}
    assert client.get_raw(ids["nmap.xml"]) == b"<nmaprun/>"
    assert client.get_raw(ids["log"]) == b"done"


def test_normalizer_handler(client, organization):
    meta = boefje_meta(organization)
    _, (stored_meta, _) = run_local_boefje(client, meta)
    raw_id = client.get_raws(str(meta.id)).files[0].name
    raw_meta = client.get_raw_meta(raw_id)

    # the normalizer task's data as the scheduler builds it from the RawFileReceived event
    normalizer_meta = NormalizerMeta(
        id=uuid.uuid4(),
        raw_data=RawDataMeta(id=raw_meta.id, boefje_meta=raw_meta.boefje_meta, mime_types=raw_meta.mime_types),
        normalizer=Normalizer(id="kat_compat_normalize", version="1.0"),
    )
    # job_handler.py:133, then 220 in the finally
    assert client.get_raw(str(normalizer_meta.raw_data.id)) == b'{"hostname": "example.org"}'
    normalizer_meta.started_at = datetime.now(timezone.utc)
    normalizer_meta.ended_at = datetime.now(timezone.utc)
    client.save_normalizer_meta(normalizer_meta)

    read = client.get_normalizer_meta(normalizer_meta.id)
    assert read.id == normalizer_meta.id
    assert read.normalizer == normalizer_meta.normalizer
    assert read.raw_data.id == raw_meta.id
    assert read.raw_data.boefje_meta.id == meta.id
    assert read.started_at == normalizer_meta.started_at and read.ended_at == normalizer_meta.ended_at


def test_an_expired_or_missing_token_is_renewed(client, organization):
    meta = boefje_meta(organization)
    meta.started_at = meta.ended_at = datetime.now(timezone.utc)
    # never logged in: the first call gets 401, retry_with_login logs in and calls again
    client.save_boefje_meta(meta)
    client.headers = {"Authorization": "bearer not-a-token"}
    assert client.get_boefje_meta(str(meta.id)).id == meta.id


def test_raws_of_a_failed_run(client, organization):
    """What GET /bytes/raws gives boefjes for a failed run (job_handler.py:111). Content and names as in Bytes. Its tags
    and status are a documented difference (docs/API.md "Differences from Bytes": Bytes at cae5e26 always answers
    tags [] and COMPLETED, bytes/api/router.py:278-289); boefjes reads neither, it re-posts the files."""
    meta = boefje_meta(organization, fail=True)
    with pytest.raises(RuntimeError):
        run_local_boefje(client, meta)
    raws = client.get_raws(str(meta.id))
    assert [uuid.UUID(file.name) for file in raws.files] == [client.get_raw_meta(raws.files[0].name).id]
    assert "asked to fail" in b64decode(raws.files[0].content).decode()
    assert raws.status in (StatusEnum.COMPLETED, StatusEnum.FAILED)


def test_a_boefje_meta_without_its_times_is_refused(client, organization):
    """Bytes' BoefjeMeta requires started_at and ended_at (bytes/models.py): 422, nothing stored."""
    meta = boefje_meta(organization)
    with pytest.raises(HTTPStatusError) as refused:
        client.save_boefje_meta(meta)
    assert refused.value.response.status_code == 422
    with pytest.raises(HTTPStatusError) as missing:
        client.get_boefje_meta(str(meta.id))
    assert missing.value.response.status_code == 404


def test_a_normalizer_meta_without_its_times_is_refused(client, organization):
    """Bytes' NormalizerMeta requires started_at and ended_at too (bytes/models.py): 422, nothing stored."""
    meta = boefje_meta(organization)
    meta.started_at = meta.ended_at = datetime.now(timezone.utc)
    raw_id = client.save_output(meta, BoefjeOutput(status=StatusEnum.COMPLETED, files=[
        File(name="0", content=b64encode(b"x").decode(), tags={"boefje/kat_compat_echo"})]))["0"]
    raw_meta = client.get_raw_meta(str(raw_id))
    normalizer_meta = NormalizerMeta(id=uuid.uuid4(), normalizer=Normalizer(id="kat_compat_normalize"),
                                     raw_data=RawDataMeta(id=raw_meta.id, boefje_meta=raw_meta.boefje_meta,
                                                          mime_types=raw_meta.mime_types))
    with pytest.raises(HTTPStatusError) as refused:
        client.save_normalizer_meta(normalizer_meta)
    assert refused.value.response.status_code == 422
    with pytest.raises(HTTPStatusError) as missing:
        client.get_normalizer_meta(normalizer_meta.id)
    assert missing.value.response.status_code == 404
