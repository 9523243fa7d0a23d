-- Issue 18 (follows V32): what a consumer still owes, read type by type.
--
-- V29's view joined each cursor to every published event after it and then kept its consumer's
-- types: for a consumer whose events never come (its cursor stays where it started) that is the whole
-- outbox. The business gauges read it every WOLO_METRICS_REFRESH_MS on every instance: 195 ms of
-- PostgreSQL a refresh at 182,000 events (EXPLAIN ANALYZE, webhook benchmark), growing with the
-- outbox. Now a (consumer, type) pair is looked at only when the type's head (V32) is after the
-- cursor, and its events are read for that pair on (event_type, relay_batch, id): an idle backlog costs
-- a few pages whatever the outbox holds. (A plain join let the planner hash the pairs and scan the
-- outbox once, which it did on a small database: EventCursorCostTest.) Same columns, same rows.
CREATE OR REPLACE VIEW platform.undelivered_events AS
SELECT d.consumer, d.event_id, d.outbox_id, d.attempts, d.last_error, d.parked_at, d.created_at AS waiting_since
FROM platform.event_deliveries d
UNION ALL
SELECT c.consumer, o.event_id, o.id, 0, NULL, NULL, o.published_at
FROM platform.event_cursors c
JOIN platform.event_subscriptions s ON s.consumer = c.consumer
JOIN platform.outbox_type_heads h ON h.event_type = s.event_type AND (h.relay_batch, h.outbox_id) > (c.relay_batch, c.outbox_id)
CROSS JOIN LATERAL (SELECT o.event_id, o.id, o.published_at FROM platform.outbox o
                    WHERE o.event_type = s.event_type AND o.relay_batch IS NOT NULL AND (o.relay_batch, o.id) > (c.relay_batch, c.outbox_id)
                    OFFSET 0) o   -- OFFSET 0: read per pair, never joined to a scan of the whole outbox
WHERE NOT EXISTS (SELECT 1 FROM platform.event_deliveries d WHERE d.consumer = c.consumer AND d.event_id = o.event_id);
