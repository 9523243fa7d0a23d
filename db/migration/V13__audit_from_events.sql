-- The admin domain writes the audit trail from the domains' events (at-least-once): the event id
-- kept in metadata makes a redelivery a no-op.
CREATE UNIQUE INDEX uq_audit_logs_event ON admin.audit_logs ((metadata ->> 'event_id')) WHERE (metadata ->> 'event_id') IS NOT NULL;
