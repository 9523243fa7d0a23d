-- Spec §3.1 (identity) and §3.2 (profiles).

-- ---------------------------------------------------------------- identity.users
CREATE TABLE identity.users (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    phone           VARCHAR(20)  UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164
    -- FIX: stored lower-cased so UNIQUE is case-insensitive (Joe@x.sn and joe@x.sn are one account).
    email           VARCHAR(255) UNIQUE CHECK (email = lower(email)),
    -- FIX: email + password login needs somewhere to keep the (Argon2id/bcrypt) password hash.
    password_hash   VARCHAR(255),
    auth_provider   VARCHAR(50)  NOT NULL DEFAULT 'phone'
                    CHECK (auth_provider IN ('phone', 'email', 'google', 'facebook')),
    -- FIX: NOT NULL and restricted to the spec's roles.
    roles           TEXT[]       NOT NULL DEFAULT ARRAY['user']
                    CHECK (roles <@ ARRAY['user', 'admin', 'super_admin', 'partner']::TEXT[]),
    is_active       BOOLEAN      NOT NULL DEFAULT true,
    -- FIX (spec §7 "droit à l'oubli"): erasure anonymises the row, financial records keep pointing at it.
    erased_at       TIMESTAMPTZ,
    marketing_consent_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_login_at   TIMESTAMPTZ,
    -- An erased user keeps neither phone nor email, so the contact check applies to live users.
    CONSTRAINT check_contact_method CHECK (phone IS NOT NULL OR email IS NOT NULL OR erased_at IS NOT NULL)
);
-- idx_users_phone / idx_users_email of spec §4 are not created: UNIQUE already indexes them.
CREATE INDEX idx_users_roles ON identity.users USING GIN (roles);

-- ---------------------------------------------------------------- identity.user_sessions
CREATE TABLE identity.user_sessions (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES identity.users(id) ON DELETE CASCADE,
    -- SHA-256 of the opaque refresh token; FIX: UNIQUE (it is the lookup key), which replaces
    -- the spec's plain idx_user_sessions_token_hash.
    token_hash  VARCHAR(255) NOT NULL UNIQUE,
    device_info JSONB,
    ip_address  INET,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    is_revoked  BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX idx_user_sessions_user_id ON identity.user_sessions (user_id);

-- ---------------------------------------------------------------- identity.password_reset_tokens
CREATE TABLE identity.password_reset_tokens (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES identity.users(id) ON DELETE CASCADE,
    token_hash  VARCHAR(255) NOT NULL UNIQUE,  -- FIX: lookup key, unique
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_password_reset_tokens_user_id ON identity.password_reset_tokens (user_id);

-- ---------------------------------------------------------------- identity.otp_codes
-- FIX: the spec's phone-first sign-up has no table for one-time codes.
CREATE TABLE identity.otp_codes (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    phone        VARCHAR(20)  NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    code_hash    VARCHAR(255) NOT NULL,        -- keyed hash, never the code itself
    purpose      VARCHAR(20)  NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'verify_phone')),
    attempts     INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER      NOT NULL DEFAULT 5,
    expires_at   TIMESTAMPTZ  NOT NULL,
    consumed_at  TIMESTAMPTZ,
    request_ip   INET,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_otp_codes_phone_created ON identity.otp_codes (phone, created_at DESC);
CREATE INDEX idx_otp_codes_ip_created ON identity.otp_codes (request_ip, created_at DESC);

-- ---------------------------------------------------------------- profiles.profiles
CREATE TABLE profiles.profiles (
    user_id       UUID PRIMARY KEY REFERENCES identity.users(id) ON DELETE CASCADE,
    full_name     VARCHAR(255) NOT NULL,
    date_of_birth DATE NOT NULL CHECK (date_of_birth > DATE '1900-01-01'),
    locale        VARCHAR(10) NOT NULL DEFAULT 'fr-SN',
    timezone      VARCHAR(50) NOT NULL DEFAULT 'Africa/Dakar',
    avatar_url    VARCHAR(500),
    bio           TEXT,

    guardian_user_id  UUID REFERENCES identity.users(id),
    relationship_type VARCHAR(50) CHECK (relationship_type IN ('parent', 'guardian', 'sibling', 'other')),

    -- FIX: the ID number is encrypted at rest (AES-GCM, spec §7): base64 ciphertext outgrows
    -- VARCHAR(50), hence TEXT. id_hash is a keyed HMAC so duplicates are found without decrypting.
    id_number      TEXT,
    id_type        VARCHAR(20) CHECK (id_type IN ('passport', 'national_id', 'birth_certificate')),
    id_country     VARCHAR(3),
    id_hash        VARCHAR(255),
    id_media_url   VARCHAR(500),
    id_verified_at TIMESTAMPTZ,
    id_verified_by UUID REFERENCES identity.users(id),

    is_profile_public         BOOLEAN NOT NULL DEFAULT true,
    allow_contact_by_sponsors BOOLEAN NOT NULL DEFAULT true,
    -- FIX: the spec's notification_preferences JSONB here duplicated the table
    -- notifications.notification_preferences (two sources of truth for the same switches):
    -- the notifications service owns them; the profile API reads and writes them over the bus.

    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),

    CONSTRAINT check_guardian_not_self CHECK (guardian_user_id IS NULL OR guardian_user_id <> user_id),
    CONSTRAINT check_guardian_has_relationship CHECK (guardian_user_id IS NULL OR relationship_type IS NOT NULL)
    -- FIX: the spec's check_minor_has_guardian used AGE(date_of_birth), i.e. now() and the session
    -- time zone: a CHECK is evaluated only when a row is written, so it would hold for a day and
    -- silently lie the next (a minor turns 18, a row written at 23:30 UTC…), and it made it
    -- impossible to store a minor's profile before the guardian accepts. The rule "a minor
    -- (age computed in Africa/Dakar) needs an accepted guardian" is enforced by the service.
);
CREATE INDEX idx_profiles_date_of_birth ON profiles.profiles (date_of_birth);
CREATE INDEX idx_profiles_guardian_user_id ON profiles.profiles (guardian_user_id) WHERE guardian_user_id IS NOT NULL;
CREATE INDEX idx_profiles_id_hash ON profiles.profiles (id_hash) WHERE id_hash IS NOT NULL;

-- ---------------------------------------------------------------- profiles.user_addresses
CREATE TABLE profiles.user_addresses (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        UUID NOT NULL REFERENCES identity.users(id) ON DELETE CASCADE,
    type           VARCHAR(20) NOT NULL DEFAULT 'primary' CHECK (type IN ('primary', 'billing', 'delivery')),
    street_address TEXT,
    city           VARCHAR(100),
    region         VARCHAR(100),
    country        VARCHAR(3) NOT NULL DEFAULT 'SEN',
    postal_code    VARCHAR(10),
    is_default     BOOLEAN NOT NULL DEFAULT false,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_user_addresses_user_id ON profiles.user_addresses (user_id);
-- FIX: at most one default address per user.
CREATE UNIQUE INDEX uq_user_addresses_default ON profiles.user_addresses (user_id) WHERE is_default;
