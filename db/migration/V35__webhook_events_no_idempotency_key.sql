-- FIX (spec): wave_webhook_events.idempotency_key (VARCHAR UNIQUE) duplicates wave_event_id, which is
-- Wave's id of the event and what a redelivery is recognised by (its own UNIQUE index, the intake's
-- ON CONFLICT). Nothing ever wrote the column, but its unique index took an entry (NULL) for every
-- delivery stored and again for every settlement of one (the update that sets processed_at is never
-- HOT): one index write in six on the webhook intake, measured with pg_stat_statements (issue 18).
ALTER TABLE donations.wave_webhook_events DROP COLUMN idempotency_key;
