"""rocky's Bytes client (rocky/rocky/bytes_client.py, unchanged) against Bytekeep, called as rocky's views call it.

Call sites (OpenKAT cae5e26): reports (reports/runner/report_runner.py:151 and 214 upload_raw, reports/views/base.py:658
get_raws, reports/views/report_overview.py:281 get_raw), the crisis room (crisis_room/views.py:92 get_raws_all across
organisations, crisis_room/management/commands/dashboards.py:43 -> tools/ooi_helpers.py:254 add_manual_proof), raw
downloads (rocky/views/bytes_raw.py:19-34 get_raw_metas then get_raw), manual findings and uploads
(rocky/views/finding_add.py:116, upload_csv.py:156, upload_raw.py:70, ooi_detail.py:64), origins of an object
(rocky/views/mixins.py:155-173 get_normalizer_meta) and the health page (rocky/views/health.py:30).
"""

import json
import os
import uuid
from datetime import datetime, timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rocky_settings")

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402
from httpx import HTTPStatusError  # noqa: E402

from octopoes.api.models import Declaration  # noqa: E402
from octopoes.models.ooi.dns.zone import Hostname  # noqa: E402
from octopoes.models.ooi.network import Network  # noqa: E402
from rocky.bytes_client import BytesClient, get_bytes_client  # noqa: E402
from rocky.health import ServiceHealth  # noqa: E402
from rocky.scheduler import Boefje, BoefjeMeta  # noqa: E402


def report_data(name: str) -> bytes:
    return json.dumps({"input_data": {"input_oois": [f"Hostname|internet|{name}"], "report_types": ["dns-report"],
                                      "plugins": {"required": [], "optional": []}}, "report_data": {"x": name}}).encode()


def test_health():
    health = get_bytes_client("").health()  # views/health.py:30: no login
    assert isinstance(health, ServiceHealth)
    assert health.healthy is True


def test_report_runner_and_report_views(organization):
    client = get_bytes_client(organization)
    first = client.upload_raw(raw=report_data("a.example"), manual_mime_types={"openkat/report"})  # report_runner:151
    second = client.upload_raw(report_data("b.example"), {"openkat/report"}, input_ooi="Hostname|internet|b.example")
    assert uuid.UUID(first) and uuid.UUID(second)

    # reports/views/base.py:658-662: login, get_raws(organization, raw ids) -> [(name, bytes)], json per report
    client.login()
    datas = client.get_raws(organization, raw_ids=[first, second])
    assert len(datas) == 2
    by_name = {name: json.loads(content) for name, content in datas}
    assert by_name == {first: json.loads(report_data("a.example")), second: json.loads(report_data("b.example"))}
    assert [name for name, _ in datas] == [first, second]

    # reports/views/report_overview.py:281-284
    assert client.get_raw(raw_id=first) == report_data("a.example")


def test_report_ids_of_another_organisation_are_not_returned(organization):
    mine = get_bytes_client(organization).upload_raw(report_data("mine.example"), {"openkat/report"})
    other = get_bytes_client(organization + "x").upload_raw(report_data("other.example"), {"openkat/report"})
    client = get_bytes_client(organization)
    client.login()
    assert [name for name, _ in client.get_raws(organization, raw_ids=[mine, other])] == [mine]


def test_crisis_room_reads_reports_of_all_organisations(organization):
    ids = [
        get_bytes_client(organization).upload_raw(report_data("one.example"), {"openkat/report"}),
        get_bytes_client(organization + "b").upload_raw(report_data("two.example"), {"openkat/report"}),
    ]
    client = get_bytes_client(None)  # crisis_room/views.py:92: organization None, all organisations
    client.login()
    assert client.get_raws_all(ids) == {
        ids[0]: json.loads(report_data("one.example")),
        ids[1]: json.loads(report_data("two.example")),
    }


def test_manual_proof_and_origins(organization):
    """tools/ooi_helpers.py:252-254 (crisis room dashboards, finding add, upload csv), then views/mixins.py:173."""
    client = get_bytes_client(organization)
    network = Network(name="internet")
    declarations = [
        Declaration(ooi=network, valid_time=datetime.now(timezone.utc), task_id=uuid.uuid4()),
        Declaration(ooi=Hostname(name="example.org", network=network.reference), valid_time=datetime.now(timezone.utc)),
    ]
    task_id = uuid.uuid4()
    client.add_manual_proof(task_id, BytesClient.raw_from_declarations(declarations))

    normalizer_data = client.get_normalizer_meta(task_id)
    boefje_meta = normalizer_data["raw_data"]["boefje_meta"]
    assert boefje_meta["boefje"]["id"] == "manual"
    assert boefje_meta["organization"] == organization
    assert boefje_meta["input_ooi"] is None
    assert boefje_meta.get("ended_at")
    assert normalizer_data["normalizer"]["id"] == "normalizer/manual"
    assert {m["value"] for m in normalizer_data["raw_data"]["mime_types"]} == {"boefje/manual", "manual/ooi"}

    raw = client.get_raw(normalizer_data["raw_data"]["id"])
    assert [d["ooi"]["object_type"] for d in json.loads(raw)] == ["Network", "Hostname"]

    # views/mixins.py:179-183 reads ended_at with exactly these two formats (a third raises: the page fails)
    try:
        ended_at = datetime.strptime(boefje_meta["ended_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        ended_at = datetime.strptime(boefje_meta["ended_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(ended_at.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).total_seconds() < 120


def test_upload_raw_view_with_input_and_valid_time(organization):
    """rocky/views/upload_raw.py:70-76 and ooi_detail.py:64."""
    client = get_bytes_client(organization)
    valid_time = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    raw_id = client.upload_raw(b"ip,port\n192.0.2.1,443\n", {"text/csv", "openkat/manual"},
                               input_ooi="Hostname|internet|example.org",
                               input_dict={"object_type": "Hostname", "name": "example.org"}, valid_time=valid_time)
    answer_id = client.upload_raw(b'{"answer": 42}', {"answer"}, "Hostname|internet|example.org")

    meta_by_raw = client.session.get(f"/bytes/raw/{raw_id}/meta").json()
    assert meta_by_raw["boefje_meta"]["started_at"].startswith("2024-05-06T07:08:09")
    assert meta_by_raw["boefje_meta"]["arguments"] == {"input": {"object_type": "Hostname", "name": "example.org"}}
    assert client.get_raw(answer_id) == b'{"answer": 42}'


def test_raw_download_view(organization):
    """rocky/views/bytes_raw.py:19-34: the raw files of one boefje run, then each file, for a zip."""
    client = get_bytes_client(organization)
    client.login()
    boefje_meta_id = uuid.uuid4()
    now = datetime.now(timezone.utc)
    client._save_boefje_meta(BoefjeMeta(id=boefje_meta_id, boefje=Boefje(id="dns-records"), input_ooi="Hostname|internet|a.b",
                                        arguments={}, organization=organization, started_at=now, ended_at=now))
    contents = {}
    for n in range(3):
        content = f"file {n}".encode()
        contents[client._save_raw(boefje_meta_id, content, {"boefje/dns-records", f"x/{n}"})] = content

    raw_metas = client.get_raw_metas(boefje_meta_id, organization)
    assert {m["id"] for m in raw_metas} == set(contents)
    assert [m["id"] for m in raw_metas] == list(contents)  # Bytes: insertion order
    for raw_meta in raw_metas:  # the fields rocky's zip_data and template read
        assert raw_meta["boefje_meta"]["organization"] == organization
        assert raw_meta["boefje_meta"]["id"] == str(boefje_meta_id)
        assert {m["value"] for m in raw_meta["mime_types"]} >= {"boefje/dns-records"}
        assert raw_meta["secure_hash"].startswith("sha512:")
    assert {raw_meta["id"]: client.get_raw(raw_meta["id"]) for raw_meta in raw_metas} == contents


def test_unknown_ids_are_404(organization):
    client = get_bytes_client(organization)
    client.login()
    for call in (lambda: client.get_raw(str(uuid.uuid4())), lambda: client.get_normalizer_meta(uuid.uuid4())):
        with pytest.raises(HTTPStatusError) as error:
            call()
        assert error.value.response.status_code == 404
