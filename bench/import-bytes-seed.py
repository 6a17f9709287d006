"""Seeds a Bytes deployment for bench/import-bytes.sh with Bytes' own code, the way bytes/tests/seed_database.py does:
SQLMetaDataRepository.save_boefje_meta and save_raw (hash_data, InMemoryHashRepository) into Bytes' FileRawRepository
with the middleware of BYTES_ENCRYPTION_MIDDLEWARE (make_middleware: IDENTITY, or NACL_SEALBOX with
BYTES_PRIVATE_KEY_B64 / BYTES_PUBLIC_KEY_B64), then save_normalizer_meta on every fourth raw file. Run from Bytes'
source folder after `alembic upgrade head` on BYTES_DB_URI.

    python import-bytes-seed.py FILES SIZE FILES_PER_BOEFJE_META
"""
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import sessionmaker

from bytes.config import get_settings
from bytes.database.db import get_engine
from bytes.database.sql_meta_repository import SQLMetaDataRepository
from bytes.models import Boefje, BoefjeMeta, MimeType, Normalizer, NormalizerMeta, RawData, RawDataMeta
from bytes.raw.file_raw_repository import FileRawRepository
from bytes.raw.middleware import make_middleware
from bytes.timestamping.in_memory import InMemoryHashRepository


def main(files: int, size: int, per_meta: int) -> None:
    settings = get_settings()
    session = sessionmaker(bind=get_engine(db_uri=str(settings.db_uri), pool_size=1))()
    repository = SQLMetaDataRepository(session, FileRawRepository(settings.data_dir, make_middleware()),
                                       InMemoryHashRepository(), settings)
    rng = random.Random(files)
    started = time.monotonic()
    start = datetime(2025, 11, 14, tzinfo=timezone.utc)
    for first in range(0, files, per_meta):
        meta = BoefjeMeta(id=uuid.uuid4(), boefje=Boefje(id="dns-records", version="1.2.0"),
                          input_ooi=f"Hostname|internet|h{first}.example", arguments={"domain": f"h{first}.example"},
                          organization=f"org{first // per_meta % 7}", environment={},
                          started_at=start + timedelta(seconds=first), ended_at=start + timedelta(seconds=first, microseconds=rng.randrange(10**6)))
        with repository:
            repository.save_boefje_meta(meta)
        with repository:
            for n in range(min(per_meta, files - first)):
                mime_types = {MimeType(value="boefje/dns-records"), MimeType(value=f"n/{n}")}
                raw_id = repository.save_raw(RawData(value=rng.randbytes(size), boefje_meta=meta, mime_types=mime_types))
                if (first + n) % 4 == 0:
                    repository.save_normalizer_meta(NormalizerMeta(
                        id=uuid.uuid4(), raw_data=RawDataMeta(id=raw_id, boefje_meta=meta, mime_types=mime_types),
                        normalizer=Normalizer(id="kat_dns_normalize", version="1"),
                        started_at=meta.ended_at + timedelta(seconds=1), ended_at=meta.ended_at + timedelta(seconds=2)))
    print(f"seeded {files} raw files of {size} bytes in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
