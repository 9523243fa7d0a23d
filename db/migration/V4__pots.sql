-- Spec §3.4 (pots). A pot opens at J-30 (birthday 00:00 Africa/Dakar minus 30 days) and closes at
-- the birthday; both deadlines are stored so that timer sweeps find due pots through an index.

CREATE TABLE pots.pots (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_user_id     UUID NOT NULL REFERENCES identity.users(id),
    title             VARCHAR(255) NOT NULL,
    description       TEXT,
    target_amount_cfa INTEGER NOT NULL CHECK (target_amount_cfa > 0),
    birthday_date     DATE NOT NULL,
    scheduled_open_at TIMESTAMPTZ NOT NULL,
    -- FIX: the closing deadline (birthday 00:00 Dakar) is stored, not recomputed in every sweep query.
    closes_at         TIMESTAMPTZ NOT NULL,
    actual_opened_at  TIMESTAMPTZ,
    closed_at         TIMESTAMPTZ,
    status            VARCHAR(20) NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'open', 'funded', 'expired', 'closed')),
    visibility        VARCHAR(20) NOT NULL DEFAULT 'private'
                      CHECK (visibility IN ('private', 'public', 'friends_only')),
    preferred_pack_id UUID,   -- FIX: foreign key to packs.packs added in V6 (the table comes later)
    allow_anonymous_donations BOOLEAN NOT NULL DEFAULT true,
    show_donor_names          BOOLEAN NOT NULL DEFAULT true,
    enable_messages           BOOLEAN NOT NULL DEFAULT true,
    -- FIX: BIGINT, NOT NULL: counters of a public page can outgrow INTEGER and are flushed in bulk.
    share_count       BIGINT NOT NULL DEFAULT 0 CHECK (share_count >= 0),
    view_count        BIGINT NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    cover_image_url   VARCHAR(500),
    gallery_images    JSONB,
    created_from_referral_id UUID REFERENCES referrals.referrals(id),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: the spec cast (birthday_date - 1 day) to timestamptz in the *session* time zone and
    -- demanded opening a day early, which forbids the legitimate "created the day before the
    -- birthday, opens at once". The rule is: open strictly before the birthday, in Dakar.
    CONSTRAINT check_open_before_birthday CHECK (
        scheduled_open_at < (birthday_date::timestamp AT TIME ZONE 'Africa/Dakar')
    ),
    CONSTRAINT check_closes_at_birthday CHECK (
        closes_at = (birthday_date::timestamp AT TIME ZONE 'Africa/Dakar')
    )
);
CREATE INDEX idx_pots_owner_user_id ON pots.pots (owner_user_id);
CREATE INDEX idx_pots_status ON pots.pots (status);
CREATE INDEX idx_pots_birthday_date ON pots.pots (birthday_date);
-- FIX: the spec's idx_pots_scheduled_open_at indexed every pot; the opening sweep only reads
-- scheduled ones, and the closing sweep needs its own deadline index.
CREATE INDEX idx_pots_due_open ON pots.pots (scheduled_open_at) WHERE status = 'scheduled';
CREATE INDEX idx_pots_due_close ON pots.pots (closes_at) WHERE status IN ('open', 'funded');
-- FIX: one live pot per owner and birthday.
CREATE UNIQUE INDEX uq_pots_live_per_birthday ON pots.pots (owner_user_id, birthday_date)
    WHERE status IN ('scheduled', 'open', 'funded');

CREATE TABLE pots.pot_invitations (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pot_id               UUID NOT NULL REFERENCES pots.pots(id) ON DELETE CASCADE,
    invited_by_user_id   UUID NOT NULL REFERENCES identity.users(id),
    invitation_method    VARCHAR(20) NOT NULL CHECK (invitation_method IN ('whatsapp', 'sms', 'email', 'social')),
    recipient_identifier VARCHAR(255) NOT NULL,
    custom_message       TEXT,
    -- FIX: the share link needs an unguessable token; only its hash is stored.
    share_token_hash     VARCHAR(255) UNIQUE,
    sent_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    opened_at  TIMESTAMPTZ,
    clicked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- FIX: invitations are listed and rate-limited per pot and day.
CREATE INDEX idx_pot_invitations_pot_created ON pots.pot_invitations (pot_id, created_at);

CREATE TABLE pots.pot_analytics (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pot_id           UUID NOT NULL REFERENCES pots.pots(id) ON DELETE CASCADE,
    snapshot_date    DATE NOT NULL,
    total_raised_cfa BIGINT  NOT NULL DEFAULT 0,
    donor_count      INTEGER NOT NULL DEFAULT 0,
    view_count       BIGINT  NOT NULL DEFAULT 0,
    share_count      BIGINT  NOT NULL DEFAULT 0,
    conversion_rate  DECIMAL(5,4),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (pot_id, snapshot_date)
);

-- FIX: points_conversions.applied_to_pot_id had no foreign key.
ALTER TABLE referrals.points_conversions
    ADD CONSTRAINT fk_points_conversions_pot FOREIGN KEY (applied_to_pot_id) REFERENCES pots.pots(id);
CREATE INDEX idx_points_conversions_pot ON referrals.points_conversions (applied_to_pot_id)
    WHERE applied_to_pot_id IS NOT NULL;
