-- Right to erasure with a 30-day grace (issue 15): DELETE /v1/me freezes the account at once; 30
-- days later identity anonymises it and every domain erases what it holds about the person.
-- The person's phone and e-mail are kept here, encrypted (AES-GCM, field-encryption key), so each
-- domain can find rows keyed by them (guest donations, messages, invitations); they are removed
-- 7 days after the erasure, once every domain has reacted.
CREATE TABLE identity.erasure_requests (
    user_id           UUID PRIMARY KEY REFERENCES identity.users(id),
    phone_ciphertext  TEXT,
    email_ciphertext  TEXT,
    requested_at      TIMESTAMPTZ NOT NULL,
    due_at            TIMESTAMPTZ NOT NULL,
    erased_at         TIMESTAMPTZ,
    identifiers_purged_at TIMESTAMPTZ
);
CREATE INDEX idx_erasure_requests_due ON identity.erasure_requests (due_at) WHERE erased_at IS NULL;
