-- Issue 18: a burst's donations join their owner's digest in batches, and a batch that fails is
-- retried event by event, so the same donation may be offered to the digest twice. Each entry is
-- recorded once (the message's dedupe key: <event id>:donation_received:<user>) in the transaction
-- that adds it to the digest; an entry seen before adds nothing. Entries outlive the longest digest
-- period (a week) and are purged daily after 8 days (NotificationVerticle).
CREATE TABLE notifications.digest_entries (
    entry_key   VARCHAR(300) PRIMARY KEY,
    digest_key  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_digest_entries_created ON notifications.digest_entries (created_at);
