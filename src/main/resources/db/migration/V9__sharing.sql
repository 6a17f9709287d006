-- Documents shared between users (routes/sharing-documents.camel.yaml, docs/SHARING.md). The server keeps
-- metadata, the users' X25519 public keys and document keys wrapped for them; never a plain document key.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.

create table sharing_user_key (
    username     varchar(256)  primary key,
    -- raw 32-byte X25519 public key, base64
    public_key   varchar(64)   not null,
    updated_at   timestamp with time zone not null
);

create table sharing_document (
    id               uuid          primary key,
    owner            varchar(256)  not null,
    name             varchar(1024) not null,
    content_type     varchar(256)  not null,
    size_bytes       bigint        not null,
    -- SHA-256 of the plaintext as the owner's client computed it, hex
    sha256           varchar(64)   not null,
    encryption       varchar(64)   not null,
    chunk_size       integer       not null,
    encrypted_size   bigint        not null,
    object_key       varchar(512)  not null,
    -- S3 multipart upload id while a multipart upload is open; null for a single PUT
    upload_id        varchar(1024),
    part_size        bigint        not null,
    part_count       integer       not null,
    -- UPLOADING until complete verified the stored object, then AVAILABLE
    status           varchar(16)   not null,
    created_at       timestamp with time zone not null,
    completed_at     timestamp with time zone
);
create index sharing_document_owner on sharing_document (owner);

-- The document key wrapped for one user (the owner has one too); a row is the user's access.
create table sharing_grant (
    document_id  uuid          not null references sharing_document (id),
    username     varchar(256)  not null,
    wrapped_key  varchar(512)  not null,
    granted_by   varchar(256)  not null,
    created_at   timestamp with time zone not null,
    primary key (document_id, username)
);
create index sharing_grant_user on sharing_grant (username);

-- Who granted, revoked and downloaded what; each row also goes to the audit queue through outbox_event.
create table sharing_audit (
    id           uuid          primary key,
    document_id  uuid          not null,
    action       varchar(32)   not null,
    actor        varchar(256)  not null,
    subject      varchar(256),
    at           timestamp with time zone not null
);
create index sharing_audit_document on sharing_audit (document_id, at);
