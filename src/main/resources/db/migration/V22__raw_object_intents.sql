-- Pack objects about to be written: the row commits before the object's PUT and goes in the transaction that records
-- the first file stored in it, so a row older than the orphan sweep's minimum age names an object no file may ever
-- record (its process died between the PUT and the commit) or one that was never written. The sweep looks at these
-- rows instead of listing the bucket for new orphans.
create table raw_object_intent (
    bucket      varchar(63)              not null,
    storage_key varchar(512)             not null,
    created_at  timestamp with time zone not null,
    primary key (bucket, storage_key)
);
create index raw_object_intent_created on raw_object_intent (created_at);
