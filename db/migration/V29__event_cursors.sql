-- Issue 18: consumers read the outbox through a cursor; delivery rows are only for retries.
--
-- FIX (platform, V14's design): the relay wrote one platform.event_deliveries row per event and
-- subscribed consumer, each consumer then leased it (an update) and deleted it when applying it
-- (with the processed_events insert): four row writes per event and consumer, most of PostgreSQL's
-- work under a webhook burst (a donation.succeeded has four consumers: sixteen writes). Now:
--
-- * the relay stamps each batch it publishes with a number from a sequence (relay_batch). Relays
--   run one at a time (advisory lock held to commit), so batches become visible in their number's
--   order, and (relay_batch, id) orders every published event — the outbox id alone does not:
--   ids are taken at insert and transactions commit out of that order;
-- * each consumer keeps a cursor, the (relay_batch, id) of the last event it has done with. It
--   leases the cursor (instances take turns; a dead holder's lease expires), reads the events after
--   it, applies them (transactional consumers record processed_events in the same transaction, as
--   before: exactly-once effect), and moves the cursor in one update per batch;
-- * an event that fails for a consumer gets a platform.event_deliveries row (attempts, backoff,
--   parked after max attempts) before the cursor passes it: the retry queue is what it was, and
--   admins' retry/parked tools work unchanged. Rows already queued at this migration drain as retries.
--
-- One row write per event and consumer (processed_events) instead of four.

CREATE SEQUENCE platform.outbox_relay_batches;
ALTER TABLE platform.outbox ADD COLUMN relay_batch BIGINT;   -- NULL: not yet published (or published before V29)
CREATE INDEX idx_outbox_relay_order ON platform.outbox (relay_batch, id) WHERE relay_batch IS NOT NULL;

CREATE TABLE platform.event_cursors (
    consumer     VARCHAR(100) PRIMARY KEY,
    relay_batch  BIGINT       NOT NULL,     -- the last event done with, as (relay_batch, outbox id)
    outbox_id    BIGINT       NOT NULL,
    lease_owner  UUID,                      -- the consumer instance reading after the cursor…
    lease_until  TIMESTAMPTZ,               -- …until then (a crashed holder's lease runs out)
    moved_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- The cursor row is updated twice per batch, never an indexed column: keep the updates on its page.
ALTER TABLE platform.event_cursors SET (fillfactor = 50);

-- Existing subscribers start after every event published so far (those were fanned out to them).
INSERT INTO platform.event_cursors (consumer, relay_batch, outbox_id)
SELECT DISTINCT consumer, 0, 0 FROM platform.event_subscriptions;

-- What a consumer still owes: its retry rows, and the events of its types after its cursor.
-- Admin backlog, gauges, the integrity check and tests read this, not the tables.
CREATE VIEW platform.undelivered_events AS
SELECT d.consumer, d.event_id, d.outbox_id, d.attempts, d.last_error, d.parked_at, d.created_at AS waiting_since
FROM platform.event_deliveries d
UNION ALL
SELECT c.consumer, o.event_id, o.id, 0, NULL, NULL, o.published_at
FROM platform.event_cursors c
JOIN platform.outbox o ON o.relay_batch IS NOT NULL AND (o.relay_batch, o.id) > (c.relay_batch, c.outbox_id)
JOIN platform.event_subscriptions s ON s.consumer = c.consumer AND s.event_type = o.event_type
WHERE NOT EXISTS (SELECT 1 FROM platform.event_deliveries d WHERE d.consumer = c.consumer AND d.event_id = o.event_id);
