-- Issue 19 (abuse): naming a guardian must not reveal whether a phone has an account, nor text a
-- stranger without limit.
-- FIX: a request is recorded for the phone whether or not it belongs to an account
-- (guardian_user_id NULL when it does not), keyed by a keyed hash of the phone, so the minor's
-- answer is the same either way, and the requests per phone and per minor can be counted.
ALTER TABLE profiles.guardian_requests ALTER COLUMN guardian_user_id DROP NOT NULL;
ALTER TABLE profiles.guardian_requests ADD COLUMN guardian_phone_hash VARCHAR(64);
CREATE INDEX idx_guardian_requests_phone ON profiles.guardian_requests (guardian_phone_hash, created_at);
CREATE INDEX idx_guardian_requests_minor_created ON profiles.guardian_requests (minor_user_id, created_at);
