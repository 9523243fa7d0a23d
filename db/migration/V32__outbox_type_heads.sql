-- Issue 18 (fixes V30): where each event type's last published event is, kept by the relay.
--
-- V30 meant a consumer's poll to be one index probe per type of (event_type, relay_batch, id): "is an
-- event of my types after my cursor?". The planner did not follow: with `event_type = ANY(…)` (or a
-- probe per type) it estimated that a fair share of the outbox matches and walked it in relay order
-- from the cursor, filtering types. A consumer whose events never come keeps its cursor where it
-- started (the lease is taken only when one of its events follows), so each of its polls read the
-- whole published outbox: 405 ms a poll at 182,000 rows under the webhook benchmark, a dozen such
-- consumers polling every 50 ms, PostgreSQL's busiest statement by far (pg_stat_statements: 328 s of
-- the run). No plan choice can do that here: a row per type, updated by the relay in the statement
-- that numbers a batch (one relay at a time, so heads only move forward and commit with their batch).
CREATE TABLE platform.outbox_type_heads (
    event_type   VARCHAR(100) PRIMARY KEY,
    relay_batch  BIGINT NOT NULL,
    outbox_id    BIGINT NOT NULL
);

INSERT INTO platform.outbox_type_heads (event_type, relay_batch, outbox_id)
SELECT DISTINCT ON (event_type) event_type, relay_batch, id
FROM platform.outbox WHERE relay_batch IS NOT NULL
ORDER BY event_type, relay_batch DESC, id DESC;
