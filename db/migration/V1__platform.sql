-- Platform plumbing shared by every domain, and one PostgreSQL schema per service
-- (spec §1: "chaque service a son propre schéma logique").
--
-- Conventions applied in every migration of this folder (spec defects fixed once, here):
--  * Booleans, counters and statuses the spec leaves nullable but defaults are NOT NULL:
--    a NULL "is_active" or "status" has no meaning and breaks every WHERE clause.
--  * Enumerations the spec writes as comments become CHECK constraints.
--  * Indexes the spec lists that duplicate a UNIQUE constraint are not created
--    (the UNIQUE constraint already is a btree index): they cost writes for nothing.
--  * Dates "of the day" are Dakar dates, never the session's time zone: CURRENT_DATE depends
--    on the connection's TimeZone setting; platform.dakar_today() does not.
--  * Money is integer XOF; sums that can outgrow 2^31 francs are BIGINT.

CREATE SCHEMA IF NOT EXISTS platform;
CREATE SCHEMA IF NOT EXISTS identity;
CREATE SCHEMA IF NOT EXISTS profiles;
CREATE SCHEMA IF NOT EXISTS referrals;
CREATE SCHEMA IF NOT EXISTS pots;
CREATE SCHEMA IF NOT EXISTS donations;
CREATE SCHEMA IF NOT EXISTS packs;
CREATE SCHEMA IF NOT EXISTS redemption;
CREATE SCHEMA IF NOT EXISTS notifications;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS admin;

-- Today's date in Senegal (Africa/Dakar), whatever the session time zone.
CREATE OR REPLACE FUNCTION platform.dakar_today() RETURNS date
    LANGUAGE sql STABLE
    AS $$ SELECT (now() AT TIME ZONE 'Africa/Dakar')::date $$;

-- Keeps updated_at honest on every UPDATE (the spec has the columns but nothing maintains them).
CREATE OR REPLACE FUNCTION platform.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- Transactional outbox: a domain writes its events here in the same transaction as the change;
-- the relay publishes them to the event bus and Kafka at least once, in id order.
CREATE TABLE platform.outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        UUID        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    event_type      VARCHAR(100) NOT NULL CHECK (event_type ~ '^[a-z_]+\.[a-z_.]+$'), -- 'pot.opened'
    aggregate_type  VARCHAR(50) NOT NULL,   -- 'pot'
    aggregate_id    VARCHAR(100) NOT NULL,  -- Kafka key: events of one aggregate stay ordered
    payload         JSONB       NOT NULL DEFAULT '{}',
    occurred_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at    TIMESTAMPTZ,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX idx_outbox_unpublished ON platform.outbox (id) WHERE published_at IS NULL;
CREATE INDEX idx_outbox_published_at ON platform.outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumers: a consumer records (consumer, event_id) in the transaction that applies
-- an event; a redelivery hits the primary key and is skipped.
CREATE TABLE platform.processed_events (
    consumer     VARCHAR(100) NOT NULL,
    event_id     UUID         NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
