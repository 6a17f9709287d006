-- An upload publishes its events itself right after its commit, before it answers (as Bytes publishes before it
-- answers, and OpenKAT's tests read the queue right after the answer); the relay leaves such events alone until
-- relay_after, so that it does not send them a second time meanwhile, and sends them when the upload could not
-- (broker away, process killed). Null: the relay's from the start (events of other features).
alter table outbox_event add column relay_after timestamp with time zone;
