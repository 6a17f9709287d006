-- Trust: the TUF repository's current signed metadata (io.bytekeep.trust.JdbcTrustStateStore), one row per role
-- ('targets', 'bins', each bin such as '00-07', 'snapshot', 'timestamp') and per root version ('1.root', ...).
-- The files in the export bucket are copies; this table is what the next publication signs on top of.
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).

create table trust_metadata (
    name        varchar(64)   not null primary key,
    -- the metadata file (JSON, UTF-8) exactly as published
    content     bytea         not null
);
