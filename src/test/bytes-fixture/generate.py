"""A small Bytes deployment written by OpenKAT Bytes' own code, for the import tests (see generate.sh).

Run from Bytes' source folder (bytes/ of minvws/nl-kat-coordination) with its requirements, after `alembic upgrade
head` on BYTES_DB_URI. Bytes' SQLMetaDataRepository saves the metas and raw files exactly as its API does
(bytes/api/router.py: save_boefje_meta, save_raw, save_normalizer_meta); every raw file goes to six raw repositories of
Bytes at once: FileRawRepository and S3RawRepository (bucket per organisation, and one bucket), each with
IdentityMiddleware and with NaclBoxMiddleware. Writes to OUT:
  keys.properties       the NaCl keys of NaclBoxMiddleware (Bytes' BYTES_PRIVATE_KEY_B64, BYTES_PUBLIC_KEY_B64)
  file-identity/, file-nacl/          the data directories (BYTES_DATA_DIR) of the two file repositories
  s3/<bucket>/<key>     every object the S3 repositories wrote, as listed back from the S3 server
  api.json              what Bytes' API answers for every meta and raw file (its models, model_dump(mode="json"))
"""
import base64
import json
import os
import random
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import boto3
from nacl.public import PrivateKey
from sqlalchemy.orm import sessionmaker

from bytes.config import Settings
from bytes.database.db import get_engine
from bytes.database.sql_meta_repository import SQLMetaDataRepository
from bytes.models import (Boefje, BoefjeMeta, HashingAlgorithm, MimeType, Normalizer, NormalizerMeta, RawData,
                          RawDataMeta)
from bytes.raw.file_raw_repository import FileRawRepository, S3RawRepository
from bytes.raw.middleware import IdentityMiddleware, NaclBoxMiddleware
from bytes.repositories.raw_repository import RawRepository
from bytes.timestamping.in_memory import InMemoryHashRepository

OUT = Path(sys.argv[1])


class EveryRepository(RawRepository):
    """Hands each raw file to several of Bytes' raw repositories (the only code here on the write path)."""

    def __init__(self, repositories: list[RawRepository]) -> None:
        self.repositories = repositories

    def save_raw(self, raw_id, raw) -> None:
        for repository in self.repositories:
            repository.save_raw(raw_id, raw)


class AwsUsEast1:
    """The boto3 S3 resource of an S3RawRepository, answering CreateBucket of an existing bucket the way AWS us-east-1
    does (200, the bucket): Bytes' get_or_create_bucket relies on it, S3Proxy answers BucketAlreadyOwnedByYou."""

    def __init__(self, resource) -> None:
        self.resource = resource

    def create_bucket(self, Bucket: str):
        try:
            return self.resource.create_bucket(Bucket=Bucket)
        except self.resource.meta.client.exceptions.BucketAlreadyOwnedByYou:
            return self.resource.Bucket(Bucket)

    def __getattr__(self, name):
        return getattr(self.resource, name)


def s3_repository(*args) -> S3RawRepository:
    repository = S3RawRepository(*args)
    repository._s3resource = AwsUsEast1(repository._s3resource)
    return repository


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def main() -> None:
    kat_private = PrivateKey.generate()
    vws_public = PrivateKey.generate().public_key
    private_b64 = base64.b64encode(bytes(kat_private)).decode()
    public_b64 = base64.b64encode(bytes(vws_public)).decode()
    (OUT / "keys.properties").write_text(
        "# NaclBoxMiddleware(kat_private, vws_public) of the fixture: Box(PrivateKey(private), PublicKey(public))\n"
        f"BYTES_PRIVATE_KEY_B64={private_b64}\nBYTES_PUBLIC_KEY_B64={public_b64}\n")

    def nacl() -> NaclBoxMiddleware:
        return NaclBoxMiddleware(private_b64, public_b64)

    storage = EveryRepository([
        FileRawRepository(OUT / "file-identity", IdentityMiddleware()),
        FileRawRepository(OUT / "file-nacl", nacl()),
        s3_repository(IdentityMiddleware(), True, "bytes-identity-", "unused"),
        s3_repository(nacl(), True, "bytes-nacl-", "unused"),
        s3_repository(IdentityMiddleware(), False, "unused-", "bytes-identity"),
        s3_repository(nacl(), False, "unused-", "bytes-nacl"),
    ])

    settings = Settings()
    session = sessionmaker(bind=get_engine(db_uri=str(settings.db_uri), pool_size=1))()
    sha512 = SQLMetaDataRepository(session, storage, InMemoryHashRepository(), settings)
    sha224_signed = SQLMetaDataRepository(session, storage, InMemoryHashRepository("https://tsa.example.org/tsr"),
                                          Settings(hashing_algorithm=HashingAlgorithm.SHA224))
    signed = SQLMetaDataRepository(session, storage, InMemoryHashRepository("https://tsa.example.org/tsr"), settings)

    rng = random.Random(16)
    boefje_metas = [
        BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="dns-records", version="1.2.0"),
                   input_ooi="Hostname|internet|example.org",
                   arguments={"domain": "example.org", "nested": {"list": [1, 2.5, True, None], "text": "ĳsbeer ☃"}},
                   organization="org-a", runnable_hash="a" * 64, environment={"TIMEOUT": "30"},
                   started_at=utc(2025, 11, 14, 10, 0, 0, 123456), ended_at=utc(2025, 11, 14, 10, 0, 3, 654321)),
        BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="nmap"), input_ooi=None, arguments={}, organization="org-a",
                   started_at=utc(2025, 11, 14, 11, 0, 0), ended_at=utc(2025, 11, 14, 11, 5, 0)),
        BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="ssl-certificates", version="3"),
                   input_ooi="Website|internet|192.0.2.1|tcp|443|https|internet|example.org",
                   arguments={"port": 443}, organization="org-b", environment={},
                   started_at=utc(2025, 11, 15, 8, 30, 0, 500000), ended_at=utc(2025, 11, 15, 8, 30, 1, 1)),
        BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="webpage-capture", version="0.1"), input_ooi="URL|internet|x",
                   arguments={"url": "https://example.org/"}, organization="org-b",
                   started_at=utc(2031, 1, 2, 3, 4, 5), ended_at=utc(2031, 1, 2, 3, 4, 5, 1)),
        BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="dns-records", version="1.2.0"), input_ooi="Hostname|internet|a.b",
                   arguments={"domain": "a.b"}, organization="org-a",
                   started_at=utc(2025, 11, 16, 0, 0, 0), ended_at=utc(2025, 11, 16, 0, 0, 1)),
    ]
    for meta in boefje_metas:
        with sha512:
            sha512.save_boefje_meta(meta)

    files = [  # (boefje meta, repository, mime types, bytes)
        (0, sha512, ["boefje/dns-records"], rng.randbytes(70_000)),
        (0, sha512, ["boefje/dns-records", "text/plain"], b"example.org. 3600 IN A 192.0.2.1\n"),
        (0, sha512, [], b""),
        (1, sha512, ["error/boefje"], b"Boefje timed out"),
        (2, sha224_signed, ["boefje/ssl-certificates", "application/json"], json.dumps({"serial": 7}).encode()),
        (2, sha224_signed, ["boefje/ssl-certificates"], bytes(range(256)) * 3),
        (3, signed, ["boefje/webpage-capture", "image/png"], b"\x89PNG\r\n\x1a\n" + rng.randbytes(5000)),
    ]
    raw_ids = []
    for index, repository, mime_types, value in files:
        meta = repository.get_boefje_meta_by_id(boefje_metas[index].id)
        with repository:
            raw_ids.append(repository.save_raw(RawData(value=value, boefje_meta=meta,
                                                        mime_types={MimeType(value=m) for m in mime_types})))

    def raw_meta(position: int) -> RawDataMeta:
        return sha512.get_raw_meta_by_id(raw_ids[position])

    normalizer_metas = [
        NormalizerMeta(id=uuid.uuid4(), raw_data=raw_meta(0), normalizer=Normalizer(id="kat_dns_normalize", version="1"),
                       started_at=utc(2025, 11, 14, 10, 1, 0), ended_at=utc(2025, 11, 14, 10, 1, 2)),
        NormalizerMeta(id=uuid.uuid4(), raw_data=raw_meta(1), normalizer=Normalizer(id="kat_dns_normalize", version="1"),
                       started_at=utc(2025, 11, 14, 10, 1, 0), ended_at=utc(2025, 11, 14, 10, 1, 3)),
        NormalizerMeta(id=uuid.uuid4(), raw_data=raw_meta(4), normalizer=Normalizer(id="kat_ssl_normalize"),
                       started_at=utc(2025, 11, 15, 9, 0, 0, 250000), ended_at=utc(2025, 11, 15, 9, 0, 1)),
        NormalizerMeta(id=uuid.uuid4(), raw_data=raw_meta(6), normalizer=Normalizer(id="kat_capture", version="2"),
                       started_at=utc(2031, 1, 2, 3, 5, 0), ended_at=utc(2031, 1, 2, 3, 5, 1)),
    ]
    for meta in normalizer_metas:
        with sha512:
            sha512.save_normalizer_meta(meta)

    s3 = boto3.resource("s3")
    for bucket in s3.buckets.all():
        for summary in bucket.objects.all():
            target = OUT / "s3" / bucket.name / summary.key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(summary.get()["Body"].read())

    answers = {
        "boefje_meta": [sha512.get_boefje_meta_by_id(m.id).model_dump(mode="json") for m in boefje_metas],
        "raw_meta": [sha512.get_raw_meta_by_id(raw_id).model_dump(mode="json") for raw_id in raw_ids],
        "normalizer_meta": [sha512.get_normalizer_meta_by_id(m.id).model_dump(mode="json") for m in normalizer_metas],
    }
    (OUT / "api.json").write_text(json.dumps(answers, indent=2, ensure_ascii=False) + "\n")
    session.close()


if __name__ == "__main__":
    main()
