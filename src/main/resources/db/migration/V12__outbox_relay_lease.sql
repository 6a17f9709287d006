-- One outbox relay at a time across instances: the instance holding the lease publishes and renews it on every tick;
-- the others take it over once it expires (the holder was killed or cut off). Duplicates after a kill are then at
-- most the holder's batch in flight, never two instances publishing the same rows side by side.
create table outbox_relay_lease (
    name        varchar(64)  primary key,
    holder      varchar(255),
    expires_at  timestamp with time zone not null
);
insert into outbox_relay_lease (name, holder, expires_at) values ('outbox', null, timestamp with time zone '1970-01-01 00:00:00+00');
