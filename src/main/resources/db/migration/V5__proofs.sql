-- Proof of existence in Merkle batching mode (bytekeep.custody.proofs.mode: MERKLE).
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).

-- One TSA request per batch: the token timestamps the 32 bytes of the RFC 6962 root of the batch's leaves.
create table proof_batch (
    id                 uuid primary key,
    tree_size          integer       not null,
    root_hash          varchar(64)   not null,
    imprint_algorithm  varchar(16)   not null,
    timestamp_token    text          not null,
    tsa_url            varchar(2048) not null,
    created_at         timestamp with time zone not null
);

-- A raw file's hash: queued (batch_id null) in the transaction that records the raw file, then a leaf of one batch.
-- inclusion_proof: the RFC 6962 audit path, its 32-byte sibling hashes concatenated, leaf level first.
create table raw_file_proof (
    raw_file_id      uuid primary key references raw_file (id) on delete cascade,
    secure_hash      varchar(300)  not null,
    queued_at        timestamp with time zone not null,
    batch_id         uuid references proof_batch (id),
    leaf_index       integer,
    inclusion_proof  bytea
);
create index raw_file_proof_queue on raw_file_proof (batch_id, queued_at, raw_file_id);
