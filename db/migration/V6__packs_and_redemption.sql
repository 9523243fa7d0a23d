-- Spec §3.6 (packs, partners, sponsor campaigns) and §3.7 (QR codes, redemption, settlements).

-- FIX: partners is created before packs: packs.partner_id gets the foreign key the spec only described.
CREATE TABLE packs.partners (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                  VARCHAR(255) NOT NULL,
    type                  VARCHAR(50)  NOT NULL CHECK (type IN ('cinema', 'restaurant', 'spa', 'retail', 'experience')),
    description           TEXT,
    contact_name          VARCHAR(255),
    contact_email         VARCHAR(255),
    contact_phone         VARCHAR(20),
    business_registration VARCHAR(100),
    tax_id                VARCHAR(50),
    revenue_split_percentage DECIMAL(5,2) NOT NULL CHECK (revenue_split_percentage BETWEEN 0 AND 100),
    payment_terms         VARCHAR(20) NOT NULL DEFAULT 'monthly' CHECK (payment_terms IN ('weekly', 'monthly', 'quarterly')),
    minimum_payout_cfa    INTEGER NOT NULL DEFAULT 10000 CHECK (minimum_payout_cfa >= 0),
    venues                JSONB,
    status                VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended', 'terminated')),
    verified_at           TIMESTAMPTZ,
    verified_by_user_id   UUID REFERENCES identity.users(id),
    auto_approve_redemptions BOOLEAN NOT NULL DEFAULT false,
    notification_preferences JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_partners_status ON packs.partners (status);

CREATE TABLE packs.packs (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 VARCHAR(255) NOT NULL,
    description          TEXT NOT NULL,
    category             VARCHAR(50) NOT NULL CHECK (category IN ('cinema', 'restaurant', 'spa', 'experience')),
    base_price_cfa       INTEGER NOT NULL CHECK (base_price_cfa > 0),
    discounted_price_cfa INTEGER,
    is_active            BOOLEAN NOT NULL DEFAULT true,
    available_from       DATE,
    available_until      DATE,
    max_redemptions_per_user INTEGER NOT NULL DEFAULT 1 CHECK (max_redemptions_per_user >= 1),
    total_available_quantity INTEGER CHECK (total_available_quantity >= 0),
    image_url            VARCHAR(500),
    gallery_images       JSONB,
    partner_id           UUID REFERENCES packs.partners(id),   -- FIX: the spec left it without FK
    venue_restrictions   JSONB,
    terms_and_conditions TEXT,
    redemption_instructions TEXT,
    validity_days        INTEGER NOT NULL DEFAULT 90 CHECK (validity_days > 0),
    seo_title            VARCHAR(255),
    seo_description      TEXT,
    marketing_tags       TEXT[],
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: a discount is below the base price and positive; availability windows are ordered.
    CONSTRAINT check_discount CHECK (discounted_price_cfa IS NULL OR discounted_price_cfa BETWEEN 1 AND base_price_cfa),
    CONSTRAINT check_availability CHECK (available_until IS NULL OR available_from IS NULL OR available_until >= available_from)
);
CREATE INDEX idx_packs_partner_id ON packs.packs (partner_id);
CREATE INDEX idx_packs_active_category ON packs.packs (category) WHERE is_active;

-- FIX: pots.preferred_pack_id had no foreign key.
ALTER TABLE pots.pots
    ADD CONSTRAINT fk_pots_preferred_pack FOREIGN KEY (preferred_pack_id) REFERENCES packs.packs(id);

CREATE TABLE packs.sponsor_campaigns (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sponsor_company_name VARCHAR(255) NOT NULL,
    campaign_name        VARCHAR(255) NOT NULL,
    description          TEXT,
    target_demographics  JSONB,
    pack_categories      TEXT[],
    points_multiplier    DECIMAL(3,2) NOT NULL DEFAULT 1.5 CHECK (points_multiplier > 0),
    budget_cfa           INTEGER NOT NULL CHECK (budget_cfa > 0),
    spent_cfa            INTEGER NOT NULL DEFAULT 0 CHECK (spent_cfa >= 0),
    starts_at            TIMESTAMPTZ NOT NULL,
    ends_at              TIMESTAMPTZ NOT NULL,
    status               VARCHAR(20) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'completed')),
    impressions          INTEGER NOT NULL DEFAULT 0,
    clicks               INTEGER NOT NULL DEFAULT 0,
    conversions          INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: a campaign cannot spend more than its budget, nor end before it starts.
    CONSTRAINT check_budget CHECK (spent_cfa <= budget_cfa),
    CONSTRAINT check_campaign_period CHECK (ends_at > starts_at)
);
CREATE INDEX idx_sponsor_campaigns_active ON packs.sponsor_campaigns (starts_at, ends_at) WHERE status = 'active';

-- ---------------------------------------------------------------- redemption
CREATE TABLE redemption.qr_codes (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pot_id          UUID NOT NULL REFERENCES pots.pots(id),
    pack_id         UUID NOT NULL REFERENCES packs.packs(id),
    code            VARCHAR(100) NOT NULL UNIQUE,
    qr_image_url    VARCHAR(500),
    redeemable_from TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    status          VARCHAR(20) NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'expired', 'cancelled')),
    redeemed_at            TIMESTAMPTZ,
    redeemed_by_partner_id UUID REFERENCES packs.partners(id),
    redeemed_at_venue      JSONB,
    partner_notes          TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT check_valid_redemption_period CHECK (expires_at > redeemable_from),
    CONSTRAINT check_redeemed_consistent CHECK ((status = 'redeemed') = (redeemed_at IS NOT NULL))
);
-- idx_qr_codes_code is not created: UNIQUE(code) is that index.
CREATE INDEX idx_qr_codes_pot_id ON redemption.qr_codes (pot_id);
CREATE INDEX idx_qr_codes_status ON redemption.qr_codes (status);
-- FIX: the expiry sweep only reads issued codes.
CREATE INDEX idx_qr_codes_expires_at ON redemption.qr_codes (expires_at) WHERE status = 'issued';
CREATE INDEX idx_qr_codes_partner_redeemed ON redemption.qr_codes (redeemed_by_partner_id, redeemed_at)
    WHERE status = 'redeemed';

CREATE TABLE redemption.partner_settlements (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    partner_id              UUID NOT NULL REFERENCES packs.partners(id),
    period_start            DATE NOT NULL,
    period_end              DATE NOT NULL,
    total_redemptions_count INTEGER NOT NULL DEFAULT 0,
    -- FIX: BIGINT: a partner's period revenue can exceed 2^31 XOF (≈ 2.1 billion francs).
    total_revenue_cfa       BIGINT NOT NULL DEFAULT 0,
    partner_share_cfa       BIGINT NOT NULL DEFAULT 0,
    wolo_commission_cfa     BIGINT NOT NULL DEFAULT 0,
    status                  VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'paid', 'disputed')),
    approved_by_user_id     UUID REFERENCES identity.users(id),
    approved_at             TIMESTAMPTZ,
    payment_reference       VARCHAR(100),
    paid_at                 TIMESTAMPTZ,
    invoice_url             VARCHAR(500),
    receipt_url             VARCHAR(500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (partner_id, period_start, period_end),
    CHECK (period_end >= period_start),
    -- FIX: every franc accounted for: the split adds up to the revenue.
    CONSTRAINT check_split_adds_up CHECK (partner_share_cfa + wolo_commission_cfa = total_revenue_cfa)
);

CREATE TABLE redemption.qr_redemption_logs (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- FIX: nullable: a scan of an unknown code ('invalid') must be logged too; there is no qr_codes row.
    qr_code_id        UUID REFERENCES redemption.qr_codes(id),
    partner_user_id   UUID REFERENCES identity.users(id),
    attempt_timestamp TIMESTAMPTZ NOT NULL DEFAULT now(),
    validation_result VARCHAR(20) NOT NULL CHECK (validation_result IN ('success', 'expired', 'already_used', 'invalid', 'not_yet_valid')),
    error_message     TEXT,
    ip_address        INET,
    user_agent        TEXT,
    venue_context     JSONB,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_qr_redemption_logs_qr ON redemption.qr_redemption_logs (qr_code_id, attempt_timestamp);
