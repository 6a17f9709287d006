-- Where the resumable listing of a sweep (the orphan sweeps of the raw and documents buckets) goes on: the prefix it is
-- in and the last key it listed there. Kept here, not in memory, so that a sweep that lists its bucket a slice at a
-- time finishes its round across restarts and is shared by every instance.
create table listing_position (
    name       varchar(200)             not null primary key,
    prefix     varchar(1024)            not null,
    after_key  varchar(1024),
    updated_at timestamp with time zone not null
);
