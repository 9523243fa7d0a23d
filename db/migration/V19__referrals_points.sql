-- Referrals and sponsor points: codes, invitations under the daily limit, the points ledger, conversions.

-- FIX (spec 3.3): the spec gives each INVITATION a unique code but none to the sponsor, while the
-- product shares one code per person ("invite with my code"). A user's code lives here; the
-- invitation's referral_code is the sponsor's code followed by a per-invitation suffix.
CREATE TABLE referrals.referral_codes (
    user_id    UUID PRIMARY KEY REFERENCES identity.users(id),
    code       VARCHAR(12) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE referrals.referrals
    ADD COLUMN channel VARCHAR(10) NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp', 'email')),
    ADD COLUMN via_shared_code BOOLEAN NOT NULL DEFAULT false;   -- accepted through the sponsor's code, without an invitation
-- FIX (spec 3.3): at most one accepted referral per invitee (a person earns one sponsor points).
CREATE UNIQUE INDEX uq_referrals_accepted_invitee ON referrals.referrals (sponsored_user_id) WHERE status = 'accepted';
-- Pending invitations are matched to a new account by its phone; a sponsor invites a phone once at a time.
CREATE INDEX idx_referrals_invited_phone ON referrals.referrals (invited_phone) WHERE status = 'sent';
CREATE UNIQUE INDEX uq_referrals_pending_per_sponsor ON referrals.referrals (sponsor_user_id, invited_phone) WHERE status = 'sent';
CREATE INDEX idx_referrals_sponsor_sent ON referrals.referrals (sponsor_user_id, sent_at DESC);

-- Why a sign-up with a code earned nobody anything (anti-fraud trail).
CREATE TABLE referrals.referral_refusals (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_user_id  UUID REFERENCES identity.users(id),
    invitee_user_id  UUID NOT NULL REFERENCES identity.users(id),
    referral_code    VARCHAR(20),
    reason           VARCHAR(40) NOT NULL CHECK (reason IN ('unknown_code', 'self_referral', 'already_referred', 'account_predates_invitation')),
    event_id         UUID NOT NULL UNIQUE,   -- the sign-up event: a replay records nothing more
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- FIX (spec 3.3): a line must know when it matures and whose activity earned it (revocation on the
-- invitee's erasure, holds for minors); the spec had neither.
ALTER TABLE referrals.points_ledger
    ADD COLUMN invitee_user_id UUID REFERENCES identity.users(id),
    ADD COLUMN matures_at      TIMESTAMPTZ,
    ADD COLUMN revoked_at      TIMESTAMPTZ,
    ADD COLUMN conversion_id   UUID REFERENCES referrals.points_conversions(id),
    -- a matured line is never edited again: revoking it adds an 'adjustment' line that spends its points
    ADD CONSTRAINT check_matured_at CHECK ((status = 'matured') = (matured_at IS NOT NULL));
CREATE INDEX idx_points_ledger_due ON referrals.points_ledger (matures_at) WHERE status = 'pending';
CREATE INDEX idx_points_ledger_invitee ON referrals.points_ledger (invitee_user_id) WHERE invitee_user_id IS NOT NULL;

ALTER TABLE referrals.points_conversions
    ADD COLUMN idempotency_key VARCHAR(255),
    ADD CONSTRAINT uq_points_conversions_key UNIQUE (sponsor_user_id, idempotency_key);

-- The pot shows credit converted from its owner's points as its own source, never as a donation:
-- raised_cfa includes it; referral_credit_cfa says how much of it is credit.
ALTER TABLE pots.pots
    ADD COLUMN referral_credit_cfa BIGINT NOT NULL DEFAULT 0 CHECK (referral_credit_cfa >= 0);
