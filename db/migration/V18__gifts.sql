-- Gifts: the second half of the money path (pot → pack → QR code → redemption → settlement → payout).

-- FIX (spec 3.6): the spec has a 'partner' role but nothing says which partner a user works for.
-- A user works for at most one partner; 'manager' may export settlements, 'staff' scans.
CREATE TABLE packs.partner_users (
    user_id    UUID PRIMARY KEY REFERENCES identity.users(id) ON DELETE CASCADE,
    partner_id UUID NOT NULL REFERENCES packs.partners(id),
    role       VARCHAR(20) NOT NULL DEFAULT 'staff' CHECK (role IN ('manager', 'staff')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_partner_users_partner ON packs.partner_users (partner_id);

-- packs.total_available_quantity is the stock LEFT (NULL: unlimited); conversions decrement it
-- conditionally, so the existing CHECK (>= 0) never fires.

-- The pot keeps what its gift cost and what was left over (a credit line shown to the owner):
-- gift_price_cfa + gift_surplus_cfa = raised_cfa at conversion.
ALTER TABLE pots.pots
    ADD COLUMN gift_price_cfa   BIGINT CHECK (gift_price_cfa > 0),
    ADD COLUMN gift_surplus_cfa BIGINT CHECK (gift_surplus_cfa >= 0),
    ADD CONSTRAINT check_gift_converted_consistent CHECK (
        (gift_converted_at IS NULL) = (gift_price_cfa IS NULL) AND (gift_price_cfa IS NULL) = (gift_surplus_cfa IS NULL));

-- FIX (spec 3.7): qr_codes.code held the code in clear. It now holds a keyed hash (HMAC-SHA256, hex)
-- of a 256-bit random token, the only thing a scan is looked up by; the token itself is kept
-- encrypted (AES-GCM, field-encryption key) so that only the owner's app can show it again. The row snapshots what was bought
-- (price, partner, pack name), so later catalogue edits change nothing already sold.
ALTER TABLE redemption.qr_codes
    ADD COLUMN code_ciphertext      TEXT NOT NULL,
    ADD COLUMN owner_user_id        UUID NOT NULL REFERENCES identity.users(id),
    ADD COLUMN partner_id           UUID NOT NULL REFERENCES packs.partners(id),
    ADD COLUMN pack_name            VARCHAR(255) NOT NULL,
    ADD COLUMN price_paid_cfa       BIGINT NOT NULL CHECK (price_paid_cfa > 0),
    ADD COLUMN raised_cfa           BIGINT NOT NULL,
    ADD COLUMN surplus_cfa          BIGINT NOT NULL CHECK (surplus_cfa >= 0),
    ADD COLUMN redeemed_by_user_id  UUID REFERENCES identity.users(id),
    ADD COLUMN redeemed_location_id VARCHAR(64),
    ADD COLUMN settlement_id        UUID REFERENCES redemption.partner_settlements(id),
    ADD COLUMN cancelled_at         TIMESTAMPTZ,
    ADD COLUMN cancel_reason        TEXT,
    ADD CONSTRAINT check_price_plus_surplus CHECK (price_paid_cfa + surplus_cfa = raised_cfa),
    ADD CONSTRAINT uq_qr_codes_pot UNIQUE (pot_id),   -- one gift per pot
    ADD CONSTRAINT check_settled_when_redeemed CHECK (settlement_id IS NULL OR status = 'redeemed');
CREATE INDEX idx_qr_codes_owner ON redemption.qr_codes (owner_user_id, created_at DESC);
CREATE INDEX idx_qr_codes_unsettled ON redemption.qr_codes (partner_id, redeemed_at)
    WHERE status = 'redeemed' AND settlement_id IS NULL;
CREATE INDEX idx_qr_codes_settlement ON redemption.qr_codes (settlement_id) WHERE settlement_id IS NOT NULL;

-- FIX (spec 3.7): the log's results did not cover a scan by the wrong partner, a cancelled gift,
-- a venue the pack excludes or a suspended partner; validations (non-consuming) are logged too.
ALTER TABLE redemption.qr_redemption_logs
    DROP CONSTRAINT qr_redemption_logs_validation_result_check,
    ADD CONSTRAINT qr_redemption_logs_validation_result_check CHECK (validation_result IN
        ('success', 'expired', 'already_used', 'invalid', 'not_yet_valid', 'wrong_partner', 'cancelled',
         'venue_not_allowed', 'partner_inactive')),
    ADD COLUMN action     VARCHAR(10) NOT NULL DEFAULT 'redeem' CHECK (action IN ('validate', 'redeem')),
    ADD COLUMN partner_id UUID REFERENCES packs.partners(id);
-- Guessing detection counts a scanner's unknown / other partners' tokens of the last hour.
CREATE INDEX idx_qr_redemption_logs_guesses ON redemption.qr_redemption_logs (partner_user_id, attempt_timestamp)
    WHERE validation_result IN ('invalid', 'wrong_partner');

-- Payouts through Wave: the idempotency key is chosen (and committed) before Wave is called, so a
-- retry after a crash or a timeout reuses it and Wave pays once. A failed payout clears it.
ALTER TABLE redemption.partner_settlements
    ADD COLUMN payout_key          UUID,
    ADD COLUMN payout_requested_at TIMESTAMPTZ,
    ADD COLUMN payout_id           VARCHAR(100),
    ADD COLUMN payout_status       VARCHAR(20) CHECK (payout_status IN ('processing', 'succeeded', 'failed', 'reversed')),
    ADD COLUMN payout_failure      TEXT,
    ADD COLUMN disputed_at         TIMESTAMPTZ,
    ADD COLUMN dispute_reason      TEXT,
    ADD CONSTRAINT check_paid_has_reference CHECK (status <> 'paid' OR (payment_reference IS NOT NULL AND paid_at IS NOT NULL));

-- FIX (templates, V12): qr_issued sent the code by SMS; the token never leaves the owner's app.
UPDATE notifications.notification_templates
   SET body_text = 'Votre cadeau « {{pack_name}} » est prêt. Ouvrez l''application WOLO pour afficher votre code QR chez {{partner_name}}, valable jusqu''au {{expires}}.',
       variables = '{"pack_name": "string", "partner_name": "string", "expires": "string"}'
 WHERE template_key = 'qr_issued';

INSERT INTO notifications.notification_templates (template_key, name, subject, body_text, channels, variables) VALUES
  ('gift_choice_needed', 'Choisir son cadeau', 'Choisissez votre cadeau WOLO',
   'Votre cagnotte « {{pot_title}} » a réuni {{raised}} FCFA. {{reason}} Choisissez votre cadeau dans l''application WOLO.',
   ARRAY['sms', 'whatsapp', 'email'], '{"pot_title": "string", "raised": "number", "reason": "string"}');
