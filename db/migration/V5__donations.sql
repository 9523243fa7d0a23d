-- Spec §3.5 (donations through Wave). Amounts are whole XOF francs.

CREATE TABLE donations.donations (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pot_id        UUID NOT NULL REFERENCES pots.pots(id),
    donor_user_id UUID REFERENCES identity.users(id),
    donor_name    VARCHAR(255),
    donor_phone   VARCHAR(20),
    amount_cfa    INTEGER NOT NULL CHECK (amount_cfa > 0),
    -- FIX: the Wave checkout session id (cos-…) is what the webhook and reconciliation look up;
    -- the spec only kept the transaction id, which Wave assigns at payment time.
    wave_checkout_session_id VARCHAR(100) UNIQUE,
    wave_transaction_id VARCHAR(100) UNIQUE,
    wave_payment_url    TEXT,
    status        VARCHAR(20) NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'processing', 'succeeded', 'failed', 'refunded')),
    initiated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    wave_notified_at  TIMESTAMPTZ,
    confirmed_at      TIMESTAMPTZ,
    failed_at         TIMESTAMPTZ,
    refunded_at       TIMESTAMPTZ,
    donation_message  TEXT,
    is_anonymous      BOOLEAN NOT NULL DEFAULT false,
    show_amount       BOOLEAN NOT NULL DEFAULT true,
    wave_webhook_data JSONB,
    ip_address        INET,
    user_agent        TEXT,
    risk_score        INTEGER NOT NULL DEFAULT 0 CHECK (risk_score BETWEEN 0 AND 100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT check_confirmed_when_succeeded CHECK (status NOT IN ('succeeded', 'refunded') OR confirmed_at IS NOT NULL)
);
CREATE INDEX idx_donations_pot_id ON donations.donations (pot_id, status);
CREATE INDEX idx_donations_donor_user_id ON donations.donations (donor_user_id) WHERE donor_user_id IS NOT NULL;
CREATE INDEX idx_donations_status ON donations.donations (status);
-- idx_donations_wave_transaction_id is not created: UNIQUE(wave_transaction_id) is that index.
-- Reconciliation sweep: donations still pending after some age.
CREATE INDEX idx_donations_pending_age ON donations.donations (initiated_at) WHERE status IN ('pending', 'processing');

CREATE TABLE donations.wave_webhook_events (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    wave_event_id    VARCHAR(100) NOT NULL UNIQUE,
    event_type       VARCHAR(50)  NOT NULL,
    donation_id      UUID REFERENCES donations.donations(id),
    raw_payload      JSONB NOT NULL,
    processed_at     TIMESTAMPTZ,
    processing_error TEXT,
    idempotency_key  VARCHAR(255) UNIQUE,
    retry_count      INTEGER NOT NULL DEFAULT 0,
    -- FIX: the retry sweep needs a deadline, and quarantined events (amount mismatch…) must stop retrying.
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    quarantined      BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_wave_webhook_events_unprocessed ON donations.wave_webhook_events (next_attempt_at)
    WHERE processed_at IS NULL AND NOT quarantined;
CREATE INDEX idx_wave_webhook_events_donation ON donations.wave_webhook_events (donation_id) WHERE donation_id IS NOT NULL;

CREATE TABLE donations.refunds (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- FIX: Wave refunds a checkout session in full, once: one refund per donation makes a double
    -- refund impossible even under concurrent requests.
    donation_id         UUID NOT NULL UNIQUE REFERENCES donations.donations(id),
    -- FIX: nullable: refunds of late payments to converted pots are made by the system, not a person.
    refunded_by_user_id UUID REFERENCES identity.users(id),
    amount_cfa          INTEGER NOT NULL CHECK (amount_cfa > 0),
    reason              VARCHAR(20) NOT NULL CHECK (reason IN ('user_request', 'fraud', 'failed_pot', 'admin_action')),
    reason_description  TEXT,
    wave_refund_id      VARCHAR(100),
    wave_refund_status  VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (wave_refund_status IN ('pending', 'succeeded', 'failed')),
    processed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE donations.donation_analytics (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    period_type          VARCHAR(20) NOT NULL CHECK (period_type IN ('daily', 'weekly', 'monthly')),
    period_start         DATE NOT NULL,
    period_end           DATE NOT NULL,
    total_amount_cfa     BIGINT  NOT NULL DEFAULT 0,
    transaction_count    INTEGER NOT NULL DEFAULT 0,
    unique_donors        INTEGER NOT NULL DEFAULT 0,
    average_donation_cfa INTEGER NOT NULL DEFAULT 0,
    success_rate         DECIMAL(5,4),
    region_breakdown     JSONB,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (period_type, period_start, period_end),
    CHECK (period_end >= period_start)
);
