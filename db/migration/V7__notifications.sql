-- Spec §3.8 (notifications): templates, a durable delivery queue, preferences, daily analytics.

CREATE TABLE notifications.notification_templates (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    template_key VARCHAR(100) NOT NULL,
    name         VARCHAR(255) NOT NULL,
    description  TEXT,
    subject      VARCHAR(500),
    body_text    TEXT NOT NULL,
    body_html    TEXT,
    channels     VARCHAR(20)[] NOT NULL DEFAULT ARRAY['email']
                 CHECK (channels <@ ARRAY['email', 'sms', 'whatsapp']::VARCHAR(20)[]),
    locale       VARCHAR(10) NOT NULL DEFAULT 'fr-SN',
    variables    JSONB,
    is_active    BOOLEAN NOT NULL DEFAULT true,
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: the spec made template_key alone UNIQUE while also having a locale column: one key
    -- exists once per locale. This UNIQUE also replaces idx_notification_templates_template_key.
    UNIQUE (template_key, locale)
);

CREATE TABLE notifications.notifications (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              UUID REFERENCES identity.users(id),
    recipient_identifier VARCHAR(255) NOT NULL,
    template_id          UUID NOT NULL REFERENCES notifications.notification_templates(id),
    channel              VARCHAR(20) NOT NULL CHECK (channel IN ('email', 'sms', 'whatsapp', 'sandbox')),
    subject              VARCHAR(500),
    body                 TEXT NOT NULL,
    template_data        JSONB,
    status               VARCHAR(20) NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'bounced')),
    scheduled_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at              TIMESTAMPTZ,
    delivered_at         TIMESTAMPTZ,
    failed_at            TIMESTAMPTZ,
    provider             VARCHAR(50),
    provider_message_id  VARCHAR(255),
    provider_response    JSONB,
    retry_count          INTEGER NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    max_retries          INTEGER NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
    next_retry_at        TIMESTAMPTZ,
    error_message        TEXT,
    error_code           VARCHAR(50),
    -- FIX: enqueueing must be idempotent per (event, recipient, template): a redelivered domain
    -- event must not send a second message.
    dedupe_key           VARCHAR(255) UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_notifications_user_id ON notifications.notifications (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX idx_notifications_status ON notifications.notifications (status);
-- FIX: the sender's claim query reads pending rows by due time; the spec indexed every row.
CREATE INDEX idx_notifications_scheduled_at ON notifications.notifications (scheduled_at) WHERE status = 'pending';
CREATE INDEX idx_notifications_provider_message ON notifications.notifications (provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX idx_notifications_recipient ON notifications.notifications (recipient_identifier, created_at DESC);

CREATE TABLE notifications.notification_preferences (
    user_id       UUID PRIMARY KEY REFERENCES identity.users(id) ON DELETE CASCADE,
    email_enabled    BOOLEAN NOT NULL DEFAULT true,
    sms_enabled      BOOLEAN NOT NULL DEFAULT true,
    whatsapp_enabled BOOLEAN NOT NULL DEFAULT true,
    push_enabled     BOOLEAN NOT NULL DEFAULT true,
    referral_notifications  BOOLEAN NOT NULL DEFAULT true,
    pot_notifications       BOOLEAN NOT NULL DEFAULT true,
    donation_notifications  BOOLEAN NOT NULL DEFAULT true,
    marketing_notifications BOOLEAN NOT NULL DEFAULT false,
    digest_frequency  VARCHAR(20) NOT NULL DEFAULT 'daily' CHECK (digest_frequency IN ('immediate', 'daily', 'weekly')),
    -- Wall-clock times in the user's profile time zone (profiles.timezone), not UTC.
    quiet_hours_start TIME NOT NULL DEFAULT '22:00',
    quiet_hours_end   TIME NOT NULL DEFAULT '08:00',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE notifications.notification_analytics (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    date            DATE NOT NULL,
    template_key    VARCHAR(100) NOT NULL,
    channel         VARCHAR(20) NOT NULL,
    sent_count      INTEGER NOT NULL DEFAULT 0,
    delivered_count INTEGER NOT NULL DEFAULT 0,
    failed_count    INTEGER NOT NULL DEFAULT 0,
    bounce_count    INTEGER NOT NULL DEFAULT 0,
    opened_count    INTEGER NOT NULL DEFAULT 0,
    clicked_count   INTEGER NOT NULL DEFAULT 0,
    delivery_rate   DECIMAL(5,4),
    open_rate       DECIMAL(5,4),
    click_rate      DECIMAL(5,4),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (date, template_key, channel)
);
