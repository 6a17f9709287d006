-- The bucket each raw file was written to: integrators may route an organisation's files to a bucket of its own
-- (docs/INTEGRATING.md). Files written before this column have it null: they are in the configured raw bucket.
alter table raw_file add column storage_bucket varchar(63);
