-- Several instances on one database (issue 17) and the fraud rules' reads (issue 18).

-- Every instance makes sure next months' analytics partitions exist at start and hourly; two doing it
-- at once raced ("relation already exists"). One at a time now; the others then find them made.
CREATE OR REPLACE FUNCTION analytics.ensure_event_partitions(from_month date, months integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    m       date := date_trunc('month', from_month)::date;
    created integer := 0;
    part    text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('wolo:analytics-partitions'));
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

-- Request limits that must hold across instances (sign-in and OTP endpoints per client IP): one row
-- per key and minute, incremented atomically; old windows are purged by the outbox relay's housekeeping.
CREATE TABLE platform.rate_limit_windows (
    limit_key    VARCHAR(200) NOT NULL,
    window_start TIMESTAMPTZ  NOT NULL,
    hits         INTEGER      NOT NULL,
    PRIMARY KEY (limit_key, window_start)
);
CREATE INDEX idx_rate_limit_windows_start ON platform.rate_limit_windows (window_start);

-- The donation risk rules count a payer's, an IP's and a pot's recent donations: indexed, not scanned.
CREATE INDEX idx_donations_phone_initiated ON donations.donations (donor_phone, initiated_at) WHERE donor_phone IS NOT NULL;
CREATE INDEX idx_donations_ip_initiated ON donations.donations (ip_address, initiated_at) WHERE ip_address IS NOT NULL;
CREATE INDEX idx_donations_pot_initiated ON donations.donations (pot_id, initiated_at);
