-- Distribution: the submitted diagnosis keys (CWA's diagnosis_key table), one row per key.
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).

create table diagnosis_key (
    -- 16 random bytes, the primary key: so a key is stored once and a re-submission changes nothing
    key_data                       bytea         not null primary key,
    -- start of the key's validity in 10-minute intervals since the epoch (UTC)
    rolling_start_interval_number  integer       not null,
    -- validity in 10-minute intervals, 1..144
    rolling_period                 integer       not null,
    transmission_risk_level        integer       not null,
    -- ReportType name, e.g. CONFIRMED_TEST
    report_type                    varchar(32)   not null,
    days_since_onset_of_symptoms   integer       not null,
    -- ISO 3166 alpha-2 code of the country the key was submitted in
    origin_country                 varchar(2)    not null,
    -- ISO 3166 alpha-2 codes, sorted and comma-separated (e.g. DE,FR), the origin country among them
    visited_countries              varchar(1024) not null,
    -- arrival at the server in whole hours since the epoch (UTC), set by the server, as CWA stores it
    submission_timestamp           bigint        not null,
    consent_to_federation          boolean       not null,
    constraint diagnosis_key_data_length check (octet_length(key_data) = 16),
    constraint diagnosis_key_rolling_period check (rolling_period between 1 and 144)
);
create index diagnosis_key_submission_timestamp on diagnosis_key (submission_timestamp);
