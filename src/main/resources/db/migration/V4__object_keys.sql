-- Envelope encryption at rest (ENVELOPE_AES_GCM): the object's data key, wrapped by the key-encryption key named in
-- key_id, lives here and never in the object store. Null for middlewares without a per-object key.
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).
alter table raw_file add column wrapped_key bytea;

-- The rewrap (POST /admin/keks/rewrap) looks for envelope-encrypted rows by KEK id.
create index raw_file_encryption_key on raw_file (encryption, key_id);
