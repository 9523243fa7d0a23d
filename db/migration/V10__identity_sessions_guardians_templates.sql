-- Identity and profiles, as the login, session and guardian flows need them.

-- Refresh-token rotation: every refresh token is a row; the rows of one login share session_id
-- (the "sid" claim of access tokens). Reusing a rotated token revokes the whole session.
ALTER TABLE identity.user_sessions
    ADD COLUMN session_id     UUID,
    ADD COLUMN replaced_by_id UUID REFERENCES identity.user_sessions(id),
    ADD COLUMN revoked_at     TIMESTAMPTZ,
    ADD COLUMN last_used_at   TIMESTAMPTZ,
    ADD COLUMN user_agent     TEXT;
UPDATE identity.user_sessions SET session_id = id WHERE session_id IS NULL;
ALTER TABLE identity.user_sessions ALTER COLUMN session_id SET NOT NULL;
CREATE INDEX idx_user_sessions_session ON identity.user_sessions (session_id);
CREATE INDEX idx_user_sessions_recently_revoked ON identity.user_sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- A minor's guardian is linked only once the guardian accepts (spec §3.2 keeps only the result).
CREATE TABLE profiles.guardian_requests (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    minor_user_id     UUID NOT NULL REFERENCES identity.users(id),
    guardian_user_id  UUID NOT NULL REFERENCES identity.users(id),
    relationship_type VARCHAR(50) NOT NULL CHECK (relationship_type IN ('parent', 'guardian', 'sibling', 'other')),
    status            VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    responded_at      TIMESTAMPTZ,
    CHECK (minor_user_id <> guardian_user_id)
);
CREATE UNIQUE INDEX uq_guardian_requests_pending ON profiles.guardian_requests (minor_user_id) WHERE status = 'pending';
CREATE INDEX idx_guardian_requests_guardian ON profiles.guardian_requests (guardian_user_id, status);

-- Templates the identity flows send (the notifications issue seeds the rest). Mustache syntax.
INSERT INTO notifications.notification_templates (template_key, name, subject, body_text, channels, variables) VALUES
  ('otp_code', 'Code de connexion', NULL,
   'WOLO : votre code de connexion est {{code}}. Il expire dans {{minutes}} minutes. Ne le partagez avec personne.',
   ARRAY['sms', 'whatsapp'], '{"code": "string", "minutes": "number"}'),
  ('password_reset', 'Réinitialisation du mot de passe', 'Réinitialiser votre mot de passe WOLO',
   'Bonjour, pour choisir un nouveau mot de passe WOLO, utilisez ce code dans les {{minutes}} minutes : {{token}}. Si vous n''avez rien demandé, ignorez ce message.',
   ARRAY['email'], '{"token": "string", "minutes": "number"}'),
  ('guardian_request', 'Demande de tutelle', 'Confirmez la tutelle de {{minor_name}}',
   'Bonjour, {{minor_name}} vous a désigné(e) comme {{relationship}} sur WOLO. Ouvrez l''application pour accepter la demande.',
   ARRAY['sms', 'whatsapp', 'email'], '{"minor_name": "string", "relationship": "string"}');
