-- Issue 18: indexes written on the hottest paths that no query reads (pg_stat_statements and
-- pg_stat_user_indexes on the 1,000-pot webhook benchmark, durable):
--
-- FIX (spec): idx_notifications_status (status) — a message is written three times (queued, claimed,
--   sent), none of them HOT, so each write also inserts into this index; five values, most rows
--   'sent': the sender claims on idx_notifications_scheduled_at (pending only), the gauges and the
--   daily analytics read every row of a status or a day anyway; no query of the product filters on it.
-- idx_outbox_relay_order (relay_batch, id), V29 — the relay's numbering of a batch updates every
--   event (never HOT: relay_batch is indexed), seven WAL records an event. Consumers read by type
--   since V30 (idx_outbox_relay_order_by_type); the last event published, which a consumer's lease
--   and a new cursor asked this index for, is the latest of the types' heads (V32).
DROP INDEX notifications.idx_notifications_status;
DROP INDEX platform.idx_outbox_relay_order;
