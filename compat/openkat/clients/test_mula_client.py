"""mula's Bytes client (mula/scheduler/clients/http/external/bytes.py, unchanged) against Bytekeep, as mula calls it.

Call sites (OpenKAT cae5e26): scheduler/context/context.py:133 constructs it (health check of the host at start),
scheduler/schedulers/schedulers/boefje.py:366 asks for the last run of a boefje on an OOI before it queues a task
(has_boefje_task_grace_period_passed / has_boefje_task_started_running read started_at and ended_at).
get_last_run_boefje_by_organisation_id has no caller in mula at that commit; it is exercised as it is written.
"""

import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from scheduler import clients, models
from scheduler.clients.errors import ExternalServiceError


@pytest.fixture
def bytes_service(bytes_api, credentials) -> clients.Bytes:
    return clients.Bytes(host=bytes_api.rstrip("/"), source="scheduler/compat", user=credentials[0],
                         password=credentials[1], timeout=10, pool_connections=10)


def save_boefje_meta(bytes_api, credentials, organization, boefje_id, input_ooi, started_at, ended_at) -> uuid.UUID:
    """A boefje run as boefjes stores it (the JSON of boefjes' BoefjeMeta, posted without Content-Type)."""
    token = httpx.post(f"{bytes_api}/token", data=dict(zip(("username", "password"), credentials))).json()["access_token"]
    meta_id = uuid.uuid4()
    body = models.BoefjeMeta(id=meta_id, boefje=models.Boefje(id=boefje_id, version="1"), input_ooi=input_ooi,
                             arguments={}, organization=organization, started_at=started_at, ended_at=ended_at)
    response = httpx.post(f"{bytes_api}/bytes/boefje_meta", content=body.model_dump_json(),
                          headers={"Authorization": f"bearer {token}"})
    response.raise_for_status()
    return meta_id


def test_last_run_of_a_boefje_on_an_ooi(bytes_service, bytes_api, credentials, organization):
    assert bytes_service.get_last_run_boefje(
        boefje_id="dns-records", input_ooi="Hostname|internet|example.org", organization_id=organization) is None

    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    runs = [save_boefje_meta(bytes_api, credentials, organization, "dns-records", "Hostname|internet|example.org",
                             start + timedelta(hours=h), start + timedelta(hours=h, minutes=1)) for h in (2, 0, 1)]
    save_boefje_meta(bytes_api, credentials, organization, "dns-records", "Hostname|internet|other.org",
                     start + timedelta(hours=5), start + timedelta(hours=5, minutes=1))
    save_boefje_meta(bytes_api, credentials, organization, "nmap", "Hostname|internet|example.org",
                     start + timedelta(hours=6), start + timedelta(hours=6, minutes=1))

    last = bytes_service.get_last_run_boefje(
        boefje_id="dns-records", input_ooi="Hostname|internet|example.org", organization_id=organization)
    assert isinstance(last, models.BoefjeMeta)
    assert last.id == runs[0]  # the latest started_at
    assert last.started_at == start + timedelta(hours=2)
    assert last.ended_at == start + timedelta(hours=2, minutes=1)
    assert last.organization == organization


def test_boefje_without_input_ooi(bytes_service, bytes_api, credentials, organization):
    """mula's BoefjeTask.input_ooi is None for boefjes that run on nothing; httpx sends input_ooi= (empty)."""
    save_boefje_meta(bytes_api, credentials, organization, "report-boefje", None,
                     datetime.now(timezone.utc), datetime.now(timezone.utc))
    # Bytes filters input_ooi == '' (no row has it): no last run is found
    assert bytes_service.get_last_run_boefje("report-boefje", None, organization) is None


def test_last_run_in_an_organisation(bytes_service, bytes_api, credentials, organization):
    """The request sends no input_ooi, which Bytes reads as input_ooi IS NULL (bytes/api/router.py:63, its filter's
    `input_ooi != "*"`): the latest run of a boefje without input OOI."""
    start = datetime(2025, 2, 1, tzinfo=timezone.utc)
    latest = save_boefje_meta(bytes_api, credentials, organization, "report-boefje", None,
                              start + timedelta(days=1), start + timedelta(days=1, minutes=3))
    save_boefje_meta(bytes_api, credentials, organization, "report-boefje", None, start, start + timedelta(minutes=1))
    save_boefje_meta(bytes_api, credentials, organization, "nmap", "IPAddressV4|internet|192.0.2.1",
                     start + timedelta(days=2), start + timedelta(days=2, minutes=3))
    assert bytes_service.get_last_run_boefje_by_organisation_id(organization).id == latest

    # no such run: Bytes answers [] and the client's [0] fails, wrapped by its exception_handler
    only_with_input = organization + "i"
    save_boefje_meta(bytes_api, credentials, only_with_input, "nmap", "IPAddressV4|internet|192.0.2.1", start, start)
    with pytest.raises(ExternalServiceError):
        bytes_service.get_last_run_boefje_by_organisation_id(only_with_input)


def test_an_expired_token_is_renewed(bytes_service, organization):
    bytes_service.headers["Authorization"] = "bearer expired"
    assert bytes_service.get_last_run_boefje("dns-records", "Hostname|internet|x.org", organization) is None
    assert bytes_service.headers["Authorization"] != "bearer expired"
