-- The organisation a shared document belongs to (the owner's, chosen at POST /documents). Sharing with a user of
-- another organisation is refused unless bytekeep.sharing.cross-organization is on (docs/SHARING.md).
-- Documents of before this migration have none: they count as of their owner's first organisation.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
alter table sharing_document add column organization varchar(32);

-- The abandoned-upload sweep looks for old incomplete uploads.
create index sharing_document_status on sharing_document (status, created_at);
