-- Small raw files of concurrent uploads share one object, a pack (packs/<pack id>, docs/ARCHITECTURE.md "Storage
-- layout"): stored_offset is where the file's stored bytes (stored_size_bytes of them) start in the object named by
-- storage_key. Null: the object holds this file alone (larger files, and every file written before this column).
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).
alter table raw_file add column stored_offset bigint;

-- The orphan sweep asks which listed objects a row refers to, by key (a pack has many rows, none with its id).
create index raw_file_storage_key on raw_file (storage_key);
