"""Bytes' own NACL_SEALBOX middleware (bytes/bytes/raw/middleware.py of OpenKAT, unchanged) on PyNaCl, for the tests.

  bytes_middleware.py SOURCE_DIR encode|decode PRIVATE_KEY_B64 PUBLIC_KEY_B64 IN OUT

SOURCE_DIR holds bytes/raw/middleware.py as OpenKAT has it. That module imports bytes.config and bytes.models only
for the settings of make_middleware() (pydantic 2, which Debian does not have); both are replaced here by modules that
answer what Bytes' settings answer with BYTES_ENCRYPTION_MIDDLEWARE=NACL_SEALBOX, BYTES_PRIVATE_KEY_B64 and
BYTES_PUBLIC_KEY_B64 set. Everything else, make_middleware() included, is Bytes' code. OUT = encode(IN) / decode(IN).
"""
import enum
import sys
import types


def main(source_dir, command, private_key_b64, public_key_b64, infile, outfile):
    class EncryptionMiddleware(str, enum.Enum):  # bytes/bytes/models.py
        IDENTITY = "IDENTITY"
        NACL_SEALBOX = "NACL_SEALBOX"

    settings = types.SimpleNamespace(
        encryption_middleware=EncryptionMiddleware.NACL_SEALBOX,
        private_key_b64=private_key_b64,
        public_key_b64=public_key_b64,
    )
    sys.modules["bytes.models"] = types.SimpleNamespace(EncryptionMiddleware=EncryptionMiddleware)
    sys.modules["bytes.config"] = types.SimpleNamespace(get_settings=lambda: settings)
    sys.path.insert(0, source_dir)
    from bytes.raw.middleware import NaclBoxMiddleware, make_middleware

    middleware = make_middleware()
    assert isinstance(middleware, NaclBoxMiddleware), type(middleware)
    contents = open(infile, "rb").read()
    result = middleware.encode(contents) if command == "encode" else middleware.decode(contents)
    open(outfile, "wb").write(result)


if __name__ == "__main__":
    main(*sys.argv[1:])
