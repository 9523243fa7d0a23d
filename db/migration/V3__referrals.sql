-- Spec §3.3 (referrals, points). Sponsors invite at most 50 people a day, in contact batches of 50.

-- ---------------------------------------------------------------- referrals.sponsor_daily_limits
-- Created before referrals because referrals.daily_limit_id references it (the spec's ALTERs).
CREATE TABLE referrals.sponsor_daily_limits (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id         UUID NOT NULL REFERENCES identity.users(id),
    -- FIX: CURRENT_DATE follows the session time zone; the day that resets is Dakar's.
    limit_date              DATE NOT NULL DEFAULT platform.dakar_today(),
    max_invitations_per_day INTEGER NOT NULL DEFAULT 50 CHECK (max_invitations_per_day BETWEEN 0 AND 50),
    invitations_sent_today  INTEGER NOT NULL DEFAULT 0 CHECK (invitations_sent_today >= 0),
    current_batch_start     INTEGER NOT NULL DEFAULT 0 CHECK (current_batch_start >= 0),
    preferred_selection_method VARCHAR(20) NOT NULL DEFAULT 'batch'
                            CHECK (preferred_selection_method IN ('batch', 'individual')),
    last_reset_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: midnight in Dakar of the next day, not midnight of the session's zone.
    next_reset_at           TIMESTAMPTZ NOT NULL
                            DEFAULT ((platform.dakar_today() + 1)::timestamp AT TIME ZONE 'Africa/Dakar'),
    consecutive_active_days INTEGER NOT NULL DEFAULT 0,
    total_lifetime_invitations INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (sponsor_user_id, limit_date),
    CONSTRAINT check_daily_limit CHECK (invitations_sent_today <= max_invitations_per_day)
);
-- idx_sponsor_daily_limits_user_date is not created: the UNIQUE above is that index.
CREATE INDEX idx_sponsor_daily_limits_next_reset ON referrals.sponsor_daily_limits (next_reset_at);

-- ---------------------------------------------------------------- referrals.sponsor_contact_batches
CREATE TABLE referrals.sponsor_contact_batches (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id UUID NOT NULL REFERENCES identity.users(id),
    batch_date      DATE NOT NULL DEFAULT platform.dakar_today(),   -- FIX: Dakar's day
    batch_number    INTEGER NOT NULL DEFAULT 1 CHECK (batch_number >= 1),
    start_position  INTEGER NOT NULL CHECK (start_position >= 0),
    end_position    INTEGER NOT NULL,
    status          VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'selected', 'sent', 'skipped')),
    selected_count  INTEGER NOT NULL DEFAULT 0 CHECK (selected_count BETWEEN 0 AND 50),
    sent_count      INTEGER NOT NULL DEFAULT 0 CHECK (sent_count BETWEEN 0 AND 50),
    contact_snapshot  JSONB,
    auto_selected     BOOLEAN NOT NULL DEFAULT false,
    manual_selections JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT check_batch_positions CHECK (end_position > start_position),
    CONSTRAINT check_batch_size CHECK (end_position - start_position <= 50),
    -- FIX: "which batch of 50 of the day" must be unique per sponsor and day.
    UNIQUE (sponsor_user_id, batch_date, batch_number)
);
-- idx_sponsor_contact_batches_user_date is covered by the UNIQUE above (same leading columns).
CREATE INDEX idx_sponsor_contact_batches_status ON referrals.sponsor_contact_batches (status);

-- ---------------------------------------------------------------- referrals.referrals
CREATE TABLE referrals.referrals (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id    UUID NOT NULL REFERENCES identity.users(id),
    referral_code      VARCHAR(20) NOT NULL UNIQUE,
    invited_phone      VARCHAR(20),
    invited_email      VARCHAR(255),
    invited_name       VARCHAR(255),
    invitation_message TEXT,
    status             VARCHAR(20) NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'expired', 'declined')),
    sponsored_user_id  UUID REFERENCES identity.users(id),
    both_ids_collected    BOOLEAN NOT NULL DEFAULT false,
    sponsor_id_verified   BOOLEAN NOT NULL DEFAULT false,
    sponsored_id_verified BOOLEAN NOT NULL DEFAULT false,
    sent_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    accepted_at TIMESTAMPTZ,
    expired_at  TIMESTAMPTZ NOT NULL DEFAULT (now() + INTERVAL '7 days'),  -- the deadline of the invitation
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the spec's ALTER TABLE additions, folded in
    daily_limit_id   UUID REFERENCES referrals.sponsor_daily_limits(id),
    batch_id         UUID REFERENCES referrals.sponsor_contact_batches(id),
    invitation_order INTEGER CHECK (invitation_order BETWEEN 1 AND 50),
    CONSTRAINT check_invitation_contact CHECK (invited_phone IS NOT NULL OR invited_email IS NOT NULL),
    CONSTRAINT check_accepted_has_user CHECK (status <> 'accepted' OR sponsored_user_id IS NOT NULL)
);
CREATE INDEX idx_referrals_sponsor_user_id ON referrals.referrals (sponsor_user_id);
-- idx_referrals_referral_code is not created: UNIQUE(referral_code) is that index.
CREATE INDEX idx_referrals_status ON referrals.referrals (status);
CREATE INDEX idx_referrals_daily_limit_id ON referrals.referrals (daily_limit_id) WHERE daily_limit_id IS NOT NULL;
-- FIX: the spec indexed invitation_order alone, which no query filters on; the order is per day-limit.
CREATE UNIQUE INDEX uq_referrals_daily_order ON referrals.referrals (daily_limit_id, invitation_order)
    WHERE daily_limit_id IS NOT NULL AND invitation_order IS NOT NULL;
-- Sweep of invitations past their deadline.
CREATE INDEX idx_referrals_due_expiry ON referrals.referrals (expired_at) WHERE status = 'sent';

-- ---------------------------------------------------------------- referrals.points_ledger
CREATE TABLE referrals.points_ledger (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id UUID NOT NULL REFERENCES identity.users(id),
    referral_id     UUID REFERENCES referrals.referrals(id),
    event_type      VARCHAR(50) NOT NULL CHECK (event_type IN ('referral_accepted', 'pot_opened', 'first_donation', 'conversion', 'adjustment')),
    points_earned   INTEGER NOT NULL DEFAULT 0 CHECK (points_earned >= 0),
    points_spent    INTEGER NOT NULL DEFAULT 0 CHECK (points_spent >= 0),
    status          VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'matured', 'revoked')),
    matured_at      TIMESTAMPTZ,
    base_multiplier          DECIMAL(3,2) NOT NULL DEFAULT 1.00 CHECK (base_multiplier > 0),
    sponsor_boost_multiplier DECIMAL(3,2) NOT NULL DEFAULT 1.00 CHECK (sponsor_boost_multiplier > 0),
    description TEXT,
    metadata    JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: a ledger line either earns or spends.
    CONSTRAINT check_earn_or_spend CHECK (points_earned = 0 OR points_spent = 0)
);
CREATE INDEX idx_points_ledger_sponsor_user_id ON referrals.points_ledger (sponsor_user_id);
CREATE INDEX idx_points_ledger_status ON referrals.points_ledger (status);
-- FIX: one award per (referral, event): a redelivered event must not pay points twice.
CREATE UNIQUE INDEX uq_points_ledger_referral_event ON referrals.points_ledger (referral_id, event_type)
    WHERE referral_id IS NOT NULL;

-- ---------------------------------------------------------------- referrals.points_conversions
CREATE TABLE referrals.points_conversions (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id   UUID NOT NULL REFERENCES identity.users(id),
    points_converted  INTEGER NOT NULL CHECK (points_converted > 0),
    credits_issued    INTEGER NOT NULL CHECK (credits_issued >= 0),   -- XOF
    conversion_rate   DECIMAL(10,4) NOT NULL CHECK (conversion_rate > 0),
    applied_to_pot_id UUID,   -- FIX: foreign key to pots.pots added in V4 (the table comes later)
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_points_conversions_sponsor ON referrals.points_conversions (sponsor_user_id);
