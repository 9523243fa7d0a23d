-- Spec §3.9 (analytics) and §6 (analytics events are kept 2 years).

-- FIX: analytics_events is partitioned by month (spec §10 "partitionnement de tables pour grandes
-- données time-series"; the 2-year retention becomes DROP of old partitions instead of DELETE).
-- Consequences:
--  * the primary key must contain the partition key: PRIMARY KEY (id, "timestamp");
--  * no foreign key to identity.users: the hot ingestion path would pay an index probe per row,
--    and user ids come from verified tokens anyway (a user is anonymised, never deleted).
CREATE TABLE analytics.analytics_events (
    id             UUID NOT NULL DEFAULT gen_random_uuid(),
    event_name     VARCHAR(100) NOT NULL,
    event_category VARCHAR(50)  NOT NULL,
    user_id        UUID,
    session_id     VARCHAR(100),
    anonymous_id   VARCHAR(100),
    properties     JSONB,
    "timestamp"    TIMESTAMPTZ NOT NULL DEFAULT now(),
    ip_address     INET,
    user_agent     TEXT,
    referrer       VARCHAR(500),
    page_url       VARCHAR(500),
    platform       VARCHAR(20) CHECK (platform IN ('web', 'mobile_app', 'api', 'ios', 'android', 'server')),
    device_type    VARCHAR(20),
    os             VARCHAR(50),
    browser        VARCHAR(50),
    country        VARCHAR(3),
    region         VARCHAR(100),
    city           VARCHAR(100),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE INDEX idx_analytics_events_event_name ON analytics.analytics_events (event_name, "timestamp");
CREATE INDEX idx_analytics_events_user_id ON analytics.analytics_events (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX idx_analytics_events_timestamp ON analytics.analytics_events ("timestamp");

-- Creates the monthly partitions covering [first month of from_month, + months). Idempotent:
-- the analytics service calls it ahead of time; the retention job drops partitions past 2 years.
CREATE OR REPLACE FUNCTION analytics.ensure_event_partitions(from_month date, months integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    m       date := date_trunc('month', from_month)::date;
    created integer := 0;
    part    text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        part := format('analytics_events_%s', to_char(m + make_interval(months => i), 'YYYYMM'));
        IF to_regclass('analytics.' || part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS analytics.%I PARTITION OF analytics.analytics_events
                 FOR VALUES FROM (%L) TO (%L)',
                part,
                ((m + make_interval(months => i))::timestamp AT TIME ZONE 'UTC'),
                ((m + make_interval(months => i + 1))::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;

-- Partitions from the previous month to two months ahead exist from the first migration on.
SELECT analytics.ensure_event_partitions((now() - INTERVAL '1 month')::date, 4);

CREATE TABLE analytics.business_metrics (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    metric_date     DATE NOT NULL,
    metric_type     VARCHAR(50) NOT NULL,
    metric_value    DECIMAL(15,4) NOT NULL,
    metric_count    INTEGER,
    dimensions      JSONB,
    previous_period_value     DECIMAL(15,4),
    period_over_period_change DECIMAL(8,4),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: NULLS NOT DISTINCT: with plain UNIQUE, rows whose dimensions are NULL (the overall
    -- figure) never collide, so a re-run of the daily job would duplicate them.
    UNIQUE NULLS NOT DISTINCT (metric_date, metric_type, dimensions)
);

CREATE TABLE analytics.funnel_analytics (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    funnel_name     VARCHAR(100) NOT NULL,
    step_number     INTEGER NOT NULL CHECK (step_number >= 1),
    step_name       VARCHAR(100) NOT NULL,
    period_start    DATE NOT NULL,
    period_end      DATE NOT NULL,
    users_entered   INTEGER NOT NULL DEFAULT 0,
    users_completed INTEGER NOT NULL DEFAULT 0,
    completion_rate DECIMAL(5,4),
    segment_filters JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: NULLS NOT DISTINCT, for the same reason as business_metrics (unsegmented rows).
    UNIQUE NULLS NOT DISTINCT (funnel_name, step_number, period_start, period_end, segment_filters),
    CHECK (period_end >= period_start)
);

CREATE TABLE analytics.ab_tests (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    test_name          VARCHAR(100) NOT NULL UNIQUE,
    description        TEXT,
    variants           JSONB NOT NULL,
    traffic_allocation JSONB NOT NULL,
    primary_metric     VARCHAR(100) NOT NULL,
    secondary_metrics  TEXT[],
    start_date         DATE NOT NULL,
    end_date           DATE,
    status             VARCHAR(20) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'paused', 'completed')),
    results            JSONB,
    winner_variant     VARCHAR(50),
    confidence_level   DECIMAL(5,4) CHECK (confidence_level BETWEEN 0 AND 1),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (end_date IS NULL OR end_date >= start_date)
);

CREATE TABLE analytics.ab_test_assignments (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    test_id      UUID NOT NULL REFERENCES analytics.ab_tests(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES identity.users(id),
    anonymous_id VARCHAR(100),
    variant      VARCHAR(50) NOT NULL,
    assigned_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    ip_address   INET,
    user_agent   TEXT,
    -- Plain UNIQUE on purpose here: many anonymous rows have user_id NULL and must not collide.
    UNIQUE (test_id, user_id),
    UNIQUE (test_id, anonymous_id),
    -- FIX: an assignment belongs to somebody.
    CONSTRAINT check_participant CHECK (user_id IS NOT NULL OR anonymous_id IS NOT NULL)
);
