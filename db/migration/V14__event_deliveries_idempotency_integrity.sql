-- Delivery guarantees (issue 10).
--
-- FIX (platform, not in the spec): the outbox relay used to mark events published whatever the
-- in-JVM consumers did, so a consumer that failed lost the event. Now every consumer of domain
-- events has a durable subscription, and the relay fans each event out into one delivery row per
-- subscribed consumer IN THE SAME TRANSACTION that marks it published. A consumer deletes its
-- delivery row in the transaction that applies the event (exactly-once effect), retries with
-- backoff on failure and parks the row after max attempts (visible to admins, never dropped).

CREATE TABLE platform.event_subscriptions (
    consumer      VARCHAR(100) NOT NULL,   -- 'pot.funding'
    event_type    VARCHAR(100) NOT NULL,   -- 'donation.succeeded'
    registered_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_type)
);
CREATE INDEX idx_event_subscriptions_type ON platform.event_subscriptions (event_type);

CREATE TABLE platform.event_deliveries (
    consumer        VARCHAR(100) NOT NULL,
    event_id        UUID         NOT NULL,
    outbox_id       BIGINT       NOT NULL,          -- delivery order within a consumer
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_error      TEXT,
    parked_at       TIMESTAMPTZ,                    -- set after max attempts: no more retries until an admin asks
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX idx_event_deliveries_due ON platform.event_deliveries (consumer, outbox_id) WHERE parked_at IS NULL;
CREATE INDEX idx_event_deliveries_event ON platform.event_deliveries (event_id);
CREATE INDEX idx_event_deliveries_parked ON platform.event_deliveries (parked_at) WHERE parked_at IS NOT NULL;

-- Client idempotency keys (Idempotency-Key header on POSTs that create money or send messages):
-- the first response is kept 24 h and replayed for the same key and body.
CREATE TABLE platform.idempotency_keys (
    scope          VARCHAR(300) NOT NULL,   -- "user:<id>" or "guest", plus method and path
    idem_key       VARCHAR(255) NOT NULL,
    request_hash   BYTEA        NOT NULL,   -- SHA-256 of method, path and body
    status_code    INTEGER,                 -- NULL while the first request runs
    response_body  TEXT,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idx_idempotency_keys_created ON platform.idempotency_keys (created_at);

-- Daily integrity check: what did not add up, per run.
CREATE TABLE admin.integrity_findings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_at      TIMESTAMPTZ  NOT NULL,
    check_name  VARCHAR(50)  NOT NULL CHECK (check_name IN
                  ('pot_total', 'donation_state', 'webhook_unprocessed', 'outbox_unpublished', 'event_undelivered')),
    subject     VARCHAR(100) NOT NULL,      -- pot id, donation id, event id…
    expected    TEXT,
    actual      TEXT,
    detail      TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_integrity_findings_run ON admin.integrity_findings (run_at DESC);

-- Donations: the state a success webhook implies is checked against the donation (integrity).
CREATE INDEX IF NOT EXISTS idx_wave_webhook_events_created ON donations.wave_webhook_events (created_at) WHERE processed_at IS NULL;
