-- GET /bytes/mime_types of an organisation counted every file of it at every request (26 s at 1M files of one
-- organisation, bench/results/scale-2026-12-05-1301.md). Raw files are never deleted, so a counter per organisation
-- and mime type, kept in the transaction that records the files (VaultStore.recordRaws), answers it in the time of
-- the answer's own length. Filled here from the files already stored: one pass over them when this migration runs.
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).
create table raw_mime_type_count (
    organization  varchar(32)   not null,
    mime_type     varchar(256)  not null,
    files         bigint        not null,
    primary key (organization, mime_type)
);
-- the answer across organisations (the admin's, or several) walks the mime types in order
create index raw_mime_type_count_type on raw_mime_type_count (mime_type, organization);

insert into raw_mime_type_count (organization, mime_type, files)
select r.organization, m.mime_type, count(*)
from raw_file_mime_type m join raw_file r on r.id = m.raw_file_id
group by r.organization, m.mime_type;
