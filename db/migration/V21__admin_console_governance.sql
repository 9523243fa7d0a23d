-- Admin console and data governance (issue 15): admin sessions, an audit trail that cannot be
-- edited, retention of webhook payloads.

-- Admin sessions are a step-up from one access session: signing that session out (or suspending
-- the user, which revokes it) ends the admin session with it.
ALTER TABLE admin.admin_sessions ADD COLUMN access_session_id UUID;
-- FIX: the spec's termination reasons had no word for a session ended because its IP or user agent
-- changed mid-session.
ALTER TABLE admin.admin_sessions DROP CONSTRAINT admin_sessions_termination_reason_check;
ALTER TABLE admin.admin_sessions ADD CONSTRAINT admin_sessions_termination_reason_check
    CHECK (termination_reason IN ('logout', 'timeout', 'revoked', 'suspicious'));
CREATE INDEX idx_admin_sessions_active ON admin.admin_sessions (user_id) WHERE terminated_at IS NULL;

-- Audit trail, read newest first by keyset pages (any filter, then "timestamp", id).
CREATE INDEX idx_audit_logs_keyset ON admin.audit_logs ("timestamp" DESC, id DESC);
-- FIX: the spec promised an append-only trail but nothing prevented deletion. Rows are deleted only
-- by the retention job, which says so in its transaction (SET LOCAL wolo.audit_retention = 'on').
-- This guards against mistakes and SQL injection through the application, not against a DBA.
CREATE OR REPLACE FUNCTION admin.forbid_audit_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('wolo.audit_retention', true) = 'on' THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'audit_logs is append-only (only the retention job deletes)';
END $$;
CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON admin.audit_logs
    FOR EACH ROW EXECUTE FUNCTION admin.forbid_audit_delete();
CREATE OR REPLACE FUNCTION admin.forbid_audit_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_logs is append-only'; END $$;
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON admin.audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION admin.forbid_audit_truncate();

-- Health history: one row per dependency per minute, read by service and time.
CREATE INDEX idx_system_health_checks_checked ON admin.system_health_checks (checked_at);

-- Webhook payloads carry the payer's phone: stripped of personal data after 90 days, the event kept.
ALTER TABLE donations.wave_webhook_events ADD COLUMN payload_stripped_at TIMESTAMPTZ;
