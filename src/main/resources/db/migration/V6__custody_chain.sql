-- Custody cases over raw files of the Vault and their signature chains (routes/custody-chain.camel.yaml).
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
-- raw_file_id has no foreign key: raw files are never deleted, and the Vault's tests empty raw_file by truncation.

create table custody_case (
    id             uuid          primary key,
    raw_file_id    uuid          not null,
    organization   varchar(32)   not null,
    user_id        varchar(256)  not null,
    session_id     varchar(128)  not null,
    input_hash     varchar(100)  not null,
    -- party ids the envelopes are sealed for, comma-separated, in request order
    recipients     varchar(4096) not null,
    envelope_key   varchar(512)  not null,
    link_count     integer       not null,
    closed         boolean       not null,
    created_at     timestamp with time zone not null
);
create index custody_case_raw on custody_case (raw_file_id);

create table custody_link (
    case_id             uuid          not null references custody_case (id),
    link_index          integer       not null,
    station_id          varchar(64)   not null,
    kind                varchar(16)   not null,
    previous_signature  text          not null,
    result_hash         varchar(200)  not null,
    -- the signed metadata as a JSON object
    metadata            text          not null,
    signature           text          not null,
    envelope_key        varchar(512),
    created_at          timestamp with time zone not null,
    primary key (case_id, link_index)
);
