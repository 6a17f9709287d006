"""OpenKAT's Bytes as the harness's reference (bytekeep.sh mode `bytes`): `uvicorn bytes_reference:app` in bytes/.

Bytes pins FastAPI 0.121, which reads a request body without a Content-Type header as JSON; boefjes' client relies on
that (save_boefje_meta, save_raws, save_normalizer_meta). The only FastAPI here is 0.142, whose strict content-type
check (new in 0.132) answers such a body with 422. This wrapper gives those requests the Content-Type that 0.121
assumed, so the reference answers as Bytes as pinned does; nothing else is touched.
"""

from bytes.api import app as bytes_app


async def app(scope, receive, send):
    if (
        scope["type"] == "http"
        and scope["method"] == "POST"
        and scope["path"].startswith("/bytes/")
        and not any(name == b"content-type" for name, _ in scope["headers"])
    ):
        scope = dict(scope, headers=[*scope["headers"], (b"content-type", b"application/json")])
    await bytes_app(scope, receive, send)
