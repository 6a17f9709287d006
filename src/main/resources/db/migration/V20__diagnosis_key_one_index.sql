-- diagnosis_key_window (submission_timestamp, seq) serves every query the index on submission_timestamp alone served
-- (retention, the run's window, the demo profile's hours): one index to keep up per stored key instead of two.
-- Portable SQL: runs on PostgreSQL (production) and on H2 in PostgreSQL mode (embedded default).
drop index diagnosis_key_submission_timestamp;
