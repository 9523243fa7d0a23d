-- Spec §3.10 (administration): feature flags, system configuration, audit log (5 years), health, admin sessions.

CREATE TABLE admin.feature_flags (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    flag_key           VARCHAR(100) NOT NULL,
    name               VARCHAR(255) NOT NULL,
    description        TEXT,
    is_enabled         BOOLEAN NOT NULL DEFAULT false,
    flag_type          VARCHAR(20) NOT NULL DEFAULT 'boolean' CHECK (flag_type IN ('boolean', 'string', 'number', 'json')),
    flag_value         JSONB,
    rollout_percentage INTEGER NOT NULL DEFAULT 0 CHECK (rollout_percentage BETWEEN 0 AND 100),
    target_user_groups TEXT[],
    target_regions     TEXT[],
    environment        VARCHAR(20) NOT NULL DEFAULT 'production' CHECK (environment IN ('development', 'staging', 'production')),
    created_by_user_id       UUID REFERENCES identity.users(id),
    last_modified_by_user_id UUID REFERENCES identity.users(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- FIX: the spec made flag_key alone UNIQUE next to an environment column; a flag exists per environment.
    UNIQUE (flag_key, environment)
);

CREATE TABLE admin.system_config (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    config_key   VARCHAR(100) NOT NULL,
    config_value JSONB NOT NULL,
    description  TEXT,
    data_type    VARCHAR(20) NOT NULL CHECK (data_type IN ('string', 'number', 'boolean', 'object', 'array')),
    is_sensitive BOOLEAN NOT NULL DEFAULT false,
    validation_rules JSONB,
    environment  VARCHAR(20) NOT NULL DEFAULT 'production' CHECK (environment IN ('development', 'staging', 'production')),
    last_modified_by_user_id UUID REFERENCES identity.users(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (config_key, environment)   -- FIX: same as feature_flags
);

-- Append-only audit trail (5-year retention).
CREATE TABLE admin.audit_logs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    actor_user_id UUID REFERENCES identity.users(id),
    actor_type    VARCHAR(20) NOT NULL CHECK (actor_type IN ('user', 'system', 'api')),
    actor_ip      INET,
    action        VARCHAR(100) NOT NULL,
    resource_type VARCHAR(50)  NOT NULL,
    resource_id   UUID,
    old_values    JSONB,
    new_values    JSONB,
    reason        TEXT,
    metadata      JSONB,
    "timestamp"   TIMESTAMPTZ NOT NULL DEFAULT now(),
    request_id    VARCHAR(100),
    user_agent    TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_logs_actor_user_id ON admin.audit_logs (actor_user_id) WHERE actor_user_id IS NOT NULL;
CREATE INDEX idx_audit_logs_action ON admin.audit_logs (action);
CREATE INDEX idx_audit_logs_timestamp ON admin.audit_logs ("timestamp");
CREATE INDEX idx_audit_logs_resource ON admin.audit_logs (resource_type, resource_id);

-- FIX: an audit log is evidence: rows can be inserted, never changed. Deletion is left to the
-- retention job's owner role.
CREATE OR REPLACE FUNCTION admin.forbid_audit_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_logs is append-only'; END $$;
CREATE TRIGGER audit_logs_append_only BEFORE UPDATE ON admin.audit_logs
    FOR EACH ROW EXECUTE FUNCTION admin.forbid_audit_update();

CREATE TABLE admin.system_health_checks (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    service_name     VARCHAR(100) NOT NULL,
    check_name       VARCHAR(100) NOT NULL,
    status           VARCHAR(20) NOT NULL CHECK (status IN ('healthy', 'degraded', 'unhealthy')),
    response_time_ms INTEGER,
    check_data       JSONB,
    error_message    TEXT,
    checked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_system_health_checks_service ON admin.system_health_checks (service_name, checked_at DESC);

CREATE TABLE admin.admin_sessions (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             UUID NOT NULL REFERENCES identity.users(id),
    session_token_hash  VARCHAR(255) NOT NULL UNIQUE,   -- FIX: lookup key, unique
    ip_address          INET NOT NULL,
    user_agent          TEXT,
    admin_level         VARCHAR(20) NOT NULL CHECK (admin_level IN ('regular', 'super', 'partner', 'sponsor')),
    permissions_granted TEXT[],
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_activity_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at          TIMESTAMPTZ NOT NULL,
    terminated_at       TIMESTAMPTZ,
    termination_reason  VARCHAR(50) CHECK (termination_reason IN ('logout', 'timeout', 'revoked')),
    is_suspicious       BOOLEAN NOT NULL DEFAULT false,
    security_flags      JSONB
);
CREATE INDEX idx_admin_sessions_user ON admin.admin_sessions (user_id);

-- Every table with an updated_at column gets the trigger that maintains it.
DO $$
DECLARE t record;
BEGIN
    FOR t IN
        SELECT c.table_schema, c.table_name
        FROM information_schema.columns c
        JOIN information_schema.tables tb
          ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
        WHERE c.column_name = 'updated_at'
          AND c.table_schema IN ('identity', 'profiles', 'referrals', 'pots', 'donations', 'packs',
                                 'redemption', 'notifications', 'analytics', 'admin')
    LOOP
        EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %I.%I
                        FOR EACH ROW EXECUTE FUNCTION platform.touch_updated_at()',
                       t.table_schema, t.table_name);
    END LOOP;
END $$;
