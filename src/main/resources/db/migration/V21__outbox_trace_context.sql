-- The W3C traceparent of the request that caused an event (00-<trace id>-<span id>-<flags>, 55 characters), sent as a
-- header of its message even when the relay sends it later: a consumer joins the request's trace. Null: no trace.
alter table outbox_event add column traceparent varchar(55);
