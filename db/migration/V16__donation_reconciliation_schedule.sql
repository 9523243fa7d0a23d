-- Issue 19: reconciliation must always advance.
-- FIX: each pending donation gets its own next-check time with backoff, so donations Wave does not
-- know (or still open sessions) no longer hold the head of the queue; a session Wave does not know
-- after its lifetime ends the donation as failed (expired).
ALTER TABLE donations.donations ADD COLUMN reconcile_after TIMESTAMPTZ;
ALTER TABLE donations.donations ADD COLUMN reconcile_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_donations_reconcile_due ON donations.donations ((COALESCE(reconcile_after, initiated_at)))
    WHERE status IN ('pending', 'processing');
