-- Secrets are stored encrypted (AES-256-GCM); the associated data binds each ciphertext to its row, so a value
-- copied to another row does not decrypt. Exactly one of organization_id / project_id is set.
CREATE TABLE secrets (
    id              bigserial PRIMARY KEY,
    organization_id bigint REFERENCES organizations (user_id) ON DELETE CASCADE,
    project_id      uuid REFERENCES projects (id) ON DELETE CASCADE,
    assigned_to     bigint REFERENCES users (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9_]*$' AND length(name) BETWEEN 2 AND 255),
    type            text NOT NULL CHECK (type IN ('envvar', 'pgservice')),
    service_name    text,
    key_id          text NOT NULL,
    nonce           bytea NOT NULL,
    ciphertext      bytea NOT NULL,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((organization_id IS NULL) <> (project_id IS NULL))
);
CREATE UNIQUE INDEX secrets_unique_org ON secrets (organization_id, name, coalesce(assigned_to, 0)) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX secrets_unique_project ON secrets (project_id, name, coalesce(assigned_to, 0)) WHERE project_id IS NOT NULL;

-- Who created, deleted or used which secrets (names and levels, never values).
CREATE TABLE secret_audit (
    id              bigserial PRIMARY KEY,
    organization_id bigint REFERENCES organizations (user_id) ON DELETE CASCADE,
    project_id      uuid REFERENCES projects (id) ON DELETE CASCADE,
    action          text NOT NULL CHECK (action IN ('create', 'delete', 'resolve')),
    actor_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    subject_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    job_id          uuid,
    details         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX secret_audit_project ON secret_audit (project_id, created_at);
CREATE INDEX secret_audit_organization ON secret_audit (organization_id, created_at);
