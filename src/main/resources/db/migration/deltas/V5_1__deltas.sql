-- One row per deltafile push: the deltafile id chosen by the device is not unique, so pushes get
-- their own key. client_pks maps a device's local keys to server keys for features it created.
CREATE TABLE delta_pushes (
    id           bigserial PRIMARY KEY,
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    deltafile_id uuid NOT NULL,
    client_pks   jsonb,
    user_agent   text NOT NULL DEFAULT '',
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deltas (
    id                    uuid PRIMARY KEY,
    seq                   bigserial NOT NULL UNIQUE,
    push_id               bigint NOT NULL REFERENCES delta_pushes (id) ON DELETE CASCADE,
    project_id            uuid   NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    deltafile_id          uuid   NOT NULL,
    client_id             uuid   NOT NULL,
    content               jsonb  NOT NULL,
    created_by            bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    last_status           text   NOT NULL DEFAULT 'pending'
        CHECK (last_status IN ('pending', 'started', 'applied', 'conflict', 'not_applied', 'error', 'ignored', 'unpermitted')),
    last_feedback         jsonb,
    last_modified_pk      text,
    last_apply_attempt_at timestamptz,
    last_apply_attempt_by bigint REFERENCES users (id) ON DELETE SET NULL,
    job_id                uuid
);
CREATE INDEX deltas_project_status ON deltas (project_id, last_status, seq);
CREATE INDEX deltas_deltafile ON deltas (project_id, deltafile_id);
CREATE INDEX deltas_job ON deltas (job_id) WHERE job_id IS NOT NULL;

-- Deltafiles that were refused, kept byte for byte for diagnosis.
CREATE TABLE faulty_deltafiles (
    id           bigserial PRIMARY KEY,
    project_id   uuid REFERENCES projects (id) ON DELETE CASCADE,
    deltafile_id uuid,
    user_agent   text NOT NULL DEFAULT '',
    error        text NOT NULL,
    content      bytea NOT NULL,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
