-- Issue 16: push notifications. FIX (spec §3.8): notification_preferences has push_enabled but the
-- spec keeps no device to push to. A device is a Firebase Cloud Messaging registration token; the
-- token is kept (it is needed to send) and indexed by its SHA-256, so a token re-registered by
-- another account (a phone changing hands) moves to that account instead of reaching two users.
CREATE TABLE notifications.user_devices (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES identity.users(id),
    platform     VARCHAR(10) NOT NULL CHECK (platform IN ('android', 'ios')),
    token        TEXT NOT NULL CHECK (length(token) BETWEEN 20 AND 4096),
    token_hash   CHAR(64) NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_user_devices_user ON notifications.user_devices (user_id);

-- A push is a message of channel 'push' to 'device:<id>' (the token is read when it is sent, so a
-- deleted device receives nothing more).
ALTER TABLE notifications.notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications.notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('email', 'sms', 'whatsapp', 'push', 'sandbox'));
