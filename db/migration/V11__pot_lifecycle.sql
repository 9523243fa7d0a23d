-- Pots: what the lifecycle, the public page and the counters need.

-- The pot domain keeps its own projection of the money raised (from donation.succeeded /
-- donation.refunded events, applied once each through platform.processed_events), so the
-- funded and expired transitions never read another domain's tables.
ALTER TABLE pots.pots
    ADD COLUMN raised_cfa          BIGINT  NOT NULL DEFAULT 0 CHECK (raised_cfa >= 0),
    ADD COLUMN succeeded_donations INTEGER NOT NULL DEFAULT 0 CHECK (succeeded_donations >= 0),
    -- set when the gift is converted (pack bought, QR issued): late payments are refunded after it
    ADD COLUMN gift_converted_at   TIMESTAMPTZ;

-- Daily jobs run once per period across all instances (claim row; a stale claim may be retaken).
CREATE TABLE platform.job_runs (
    job          VARCHAR(100) NOT NULL,
    period       DATE         NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    completed_at TIMESTAMPTZ,
    PRIMARY KEY (job, period)
);

INSERT INTO notifications.notification_templates (template_key, name, subject, body_text, channels, variables) VALUES
  ('pot_invitation', 'Invitation à une cagnotte', '{{owner_name}} vous invite à sa cagnotte WOLO',
   '{{owner_name}} vous invite à participer à la cagnotte « {{pot_title}} ». {{message}} Participez ici : {{link}}',
   ARRAY['sms', 'whatsapp', 'email'], '{"owner_name": "string", "pot_title": "string", "message": "string", "link": "string"}');
