"""The same requests to OpenKAT's Bytes and to Bytekeep, side by side: every answer that differs is printed.

run-diff.sh starts both and runs this with REFERENCE_URL (Bytes) and BYTEKEEP_URL. The data is fixed (ids, times,
contents), so both get identical requests: boefje metas of two organisations with and without input OOI and with equal
start times, raw files posted as the clients post them (JSON without Content-Type, as boefjes does), normalizer metas,
then the queries OpenKAT's clients make (and the filters around them). Answers are compared by status and body (JSON
parsed; the random link of the in-memory hash repository left out). Prints one block per difference and a
closing line "N same, M differ"; exits 1 if any differ.
"""

import json
import os
import sys
import uuid
from base64 import b64encode

import httpx

USER, PASSWORD = os.environ["BYTES_USERNAME"], os.environ["BYTES_PASSWORD"]
SERVERS = {"bytes": os.environ["REFERENCE_URL"], "bytekeep": os.environ["BYTEKEEP_URL"]}


def uid(n: int) -> str:
    return str(uuid.UUID(int=0x0DD5_0000_0000_4000_8000_0000_0000_0000 + n))


def meta(n, org, boefje, input_ooi, started, ended="2024-01-01T12:00:00+00:00", **extra):
    return {"id": uid(n), "boefje": {"id": boefje, "version": "1"}, "input_ooi": input_ooi,
            "arguments": {"n": n}, "organization": org, "started_at": started, "ended_at": ended,
            "runnable_hash": None, "environment": {}} | extra


METAS = [
    meta(1, "diffa", "dns-records", "Hostname|internet|a.org", "2024-01-01T10:00:00+00:00"),
    meta(2, "diffa", "dns-records", "Hostname|internet|a.org", "2024-01-01T11:00:00+00:00"),
    meta(3, "diffa", "dns-records", "Hostname|internet|b.org", "2024-01-01T11:00:00+00:00"),  # same start as 2
    meta(4, "diffa", "report", None, "2024-01-01T09:00:00+00:00"),
    meta(5, "diffa", "nmap", "IPAddressV4|internet|192.0.2.1", "2024-01-01T11:00:00+00:00"),  # same start as 2, 3
    meta(6, "diffb", "dns-records", "Hostname|internet|a.org", "2024-01-02T10:00:00.123456+00:00",
         "2024-01-02T10:00:01.5+00:00"),
]
RAWS = [  # boefje meta n, name, content, tags
    (1, "one", b"first of 1", ["boefje/dns-records", "text/plain"]),
    (1, "two", b"second of 1", ["boefje/dns-records", "application/json"]),
    (1, "three", b"third of 1", ["boefje/dns-records", "error/boefje"]),
    (2, "only", b"only of 2", ["boefje/dns-records", "text/plain"]),
    (4, "err", b"Traceback", ["error/boefje"]),
    (6, "b", b"\x00\xffbinary", ["boefje/dns-records", "text/plain"]),
]


def login(client: httpx.Client) -> None:
    token = client.post("/token", data={"username": USER, "password": PASSWORD}).json()["access_token"]
    client.headers["Authorization"] = f"bearer {token}"


def answer(response: httpx.Response, names: dict[str, str]):
    kind = response.headers.get("content-type", "").split(";")[0]
    if kind.endswith("json"):
        try:
            return response.status_code, normalise(response.json(), names)
        except ValueError:
            pass
    return response.status_code, response.content


def normalise(value, names: dict[str, str]):
    """Raw ids are each server's own (uuid4): shown by the name of their file. Mime types are a set in Bytes' model
    but a list on the wire: sorted here, their order is compared once on its own (ORDER below)."""
    if isinstance(value, dict):
        return {k: "<random link>" if k == "hash_retrieval_link" and v
                else sorted(normalise(v, names), key=json.dumps) if k in ("mime_types", "tags") and isinstance(v, list)
                else normalise(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, names) for v in value]
    if isinstance(value, str) and value in names:
        return "{raw:" + names[value] + "}"
    return value


def main() -> int:
    clients = {name: httpx.Client(base_url=url, timeout=30) for name, url in SERVERS.items()}
    raw_ids: dict[str, dict[str, str]] = {name: {} for name in clients}
    same = differ = 0

    def compare(label, method, path, **kwargs):
        nonlocal same, differ
        answers = {}
        for name, client in clients.items():
            path_here = path
            for key, value in raw_ids[name].items():  # raw ids are the servers' own: named by {raw:<name>}
                path_here = path_here.replace("{raw:" + key + "}", value)
            params = kwargs.get("params")
            if params:
                params = [(k, raw_ids[name].get(v[5:-1], v) if isinstance(v, str) and v.startswith("{raw:") else v)
                          for k, v in params]
            names = {raw_id: raw_name for raw_name, raw_id in raw_ids[name].items() if raw_name != "again"}
            answers[name] = answer(client.request(method, path_here, **(kwargs | {"params": params} if params else kwargs)),
                                   names)
        if answers["bytes"] == answers["bytekeep"]:
            same += 1
            return answers["bytes"]
        differ += 1
        print(f"--- {label}: {method} {path} {kwargs.get('params') or ''}")
        for name, (status, body) in answers.items():
            if isinstance(body, list) and all(isinstance(item, dict) and "id" in item for item in body):
                print(f"    {name:8} {status} ids {[item['id'] for item in body]}")
            text = json.dumps(body, sort_keys=True) if not isinstance(body, bytes) else repr(body[:300])
            print(f"    {name:8} {status} {text[:1500]}")
        return answers["bytes"]

    for client in clients.values():
        login(client)
    for m in METAS:
        compare("save boefje meta", "POST", "/bytes/boefje_meta", content=json.dumps(m))
    compare("duplicate boefje meta", "POST", "/bytes/boefje_meta", content=json.dumps(METAS[0]))
    for n, name, content, tags in RAWS:
        files = {"files": [{"name": name, "content": b64encode(content).decode(), "tags": tags}]}
        for server, client in clients.items():
            response = client.post("/bytes/raw", params={"boefje_meta_id": uid(n)}, content=json.dumps(files))
            response.raise_for_status()
            raw_ids[server][name] = response.json()[name]
    again = {"files": [{"name": "again", "content": b64encode(b"first of 1").decode(),
                        "tags": ["boefje/dns-records", "text/plain"]}]}
    for server, client in clients.items():  # the same mime set again: Bytes answers the existing id (first raw only)
        raw_ids[server]["again"] = client.post("/bytes/raw", params={"boefje_meta_id": uid(1)}, content=json.dumps(again)).json()["again"]
    print(f"    (raw 'again' with the mime types of 'one': bytes gives 'one'? {raw_ids['bytes']['again'] == raw_ids['bytes']['one']},"
          f" bytekeep gives 'one'? {raw_ids['bytekeep']['again'] == raw_ids['bytekeep']['one']})")

    for server, client in clients.items():
        raw_meta = client.get(f"/bytes/raw/{raw_ids[server]['one']}/meta").json()
        for k, (normalizer, started) in enumerate([("kat_dns_normalize", "2024-01-01T13:00:00+00:00"),
                                                   ("kat_dns_normalize", "2024-01-01T13:00:00+00:00"),
                                                   ("kat_other", "2024-01-01T12:30:00+00:00")]):
            body = {"id": uid(100 + k), "raw_data": raw_meta, "normalizer": {"id": normalizer, "version": None},
                    "started_at": started, "ended_at": "2024-01-01T14:00:00+00:00"}
            client.post("/bytes/normalizer_meta", content=json.dumps(body)).raise_for_status()
    dangling = {"id": uid(199), "raw_data": {"id": uid(198), "boefje_meta": METAS[0], "mime_types": []},
                "normalizer": {"id": "x"}, "started_at": "2024-01-01T13:00:00+00:00", "ended_at": "2024-01-01T14:00:00+00:00"}
    compare("normalizer meta for an unknown raw", "POST", "/bytes/normalizer_meta", content=json.dumps(dangling))

    for n in (1, 6):
        compare("boefje meta by id", "GET", f"/bytes/boefje_meta/{uid(n)}")
    compare("unknown boefje meta", "GET", f"/bytes/boefje_meta/{uid(99)}")
    for params in ([("organization", "diffa")], [("organization", "diffa"), ("limit", 10)],
                   [("organization", "diffa"), ("limit", 10), ("descending", "false")],
                   [("organization", "diffa"), ("limit", 2), ("offset", 1)],
                   [("organization", "diffa"), ("boefje_id", "dns-records"), ("limit", 10)],
                   [("organization", "diffa"), ("boefje_id", "dns-records"), ("input_ooi", "Hostname|internet|a.org"),
                    ("limit", 1), ("descending", "true")],
                   [("organization", "diffa"), ("input_ooi", "*"), ("limit", 10)],
                   [("organization", "diffa"), ("input_ooi", ""), ("limit", 10)],
                   [("organization", "diffa"), ("boefje_id", "report"), ("input_ooi", ""), ("limit", 1), ("descending", "true")],
                   [("organization", "diffa"), ("limit", 1), ("descending", "true")],
                   [("limit", 10)], [("organization", "nobody"), ("limit", 10)]):
        compare("boefje metas", "GET", "/bytes/boefje_meta", params=params)

    compare("normalizer meta by id", "GET", f"/bytes/normalizer_meta/{uid(100)}")
    compare("unknown normalizer meta", "GET", f"/bytes/normalizer_meta/{uid(99)}")
    for params in ([("organization", "diffa")], [("organization", "diffa"), ("limit", 10)],
                   [("organization", "diffa"), ("normalizer_id", "kat_dns_normalize"), ("limit", 10)],
                   [("organization", "diffa"), ("limit", 10), ("descending", "false")],
                   [("organization", "diffa"), ("limit", 10), ("offset", 1)],
                   [("organization", "diffa"), ("raw_id", "{raw:one}"), ("limit", 10)],
                   [("limit", 10)]):
        compare("normalizer metas", "GET", "/bytes/normalizer_meta", params=params)

    for name in ("one", "b"):
        compare("raw meta by id", "GET", "/bytes/raw/{raw:" + name + "}/meta")
        compare("raw by id", "GET", "/bytes/raw/{raw:" + name + "}")
    compare("unknown raw", "GET", f"/bytes/raw/{uid(99)}")
    compare("unknown raw meta", "GET", f"/bytes/raw/{uid(99)}/meta")
    for params in ([("boefje_meta_id", uid(1))], [("boefje_meta_id", uid(1)), ("limit", 100), ("organization", "diffa")],
                   [("boefje_meta_id", uid(1)), ("limit", 10), ("mime_types", "text/plain")],
                   [("boefje_meta_id", uid(1)), ("limit", 10), ("mime_types", "boefje/dns-records"), ("mime_types", "text/plain")],
                   [("boefje_meta_id", uid(1)), ("limit", 10), ("normalized", "true")],
                   [("boefje_meta_id", uid(1)), ("limit", 10), ("normalized", "false")],
                   [("organization", "diffa"), ("limit", 10)], [("organization", "diffb"), ("limit", 10)],
                   [("organization", "diffa"), ("organization", "diffb"), ("limit", 10)],
                   [("raw_ids", "{raw:one}"), ("raw_ids", "{raw:b}"), ("limit", 2)], [("limit", 10)]):
        compare("raw metas", "GET", "/bytes/raw", params=params)
    for params in ([("boefje_meta_id", uid(1))], [("boefje_meta_id", uid(4))], [("boefje_meta_id", uid(1)), ("limit", 10)],
                   [("organization", "diffa"), ("raw_ids", "{raw:one}"), ("raw_ids", "{raw:b}"), ("limit", 2)],
                   [("raw_ids", "{raw:one}"), ("raw_ids", "{raw:b}"), ("limit", 2)],
                   [("organization", "diffa"), ("limit", 10)]):
        compare("raws", "GET", "/bytes/raws", params=params)
    for params in ([("organization", "diffa")], [("organization", "diffa"), ("normalized", "true")],
                   [("organization", "diffa"), ("normalized", "false")], [("boefje_meta_id", uid(1))],
                   [("organization", "diffa"), ("mime_types", "text/plain")], []):
        compare("mime types", "GET", "/bytes/mime_types", params=params)
    orders = {server: [m["value"] for m in client.get("/bytes/raw/" + raw_ids[server]["two"] + "/meta").json()["mime_types"]]
              for server, client in clients.items()}
    if orders["bytes"] != orders["bytekeep"]:
        differ += 1
        print(f"--- ORDER of mime_types, raw posted with tags {RAWS[1][3]}: bytes {orders['bytes']}, bytekeep {orders['bytekeep']}")
    compare("metrics", "GET", "/metrics")
    compare("health", "GET", "/health")
    compare("no token", "GET", "/bytes/boefje_meta", params=[("organization", "diffa")], headers={"Authorization": ""})

    print(f"diff: {same} same, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
