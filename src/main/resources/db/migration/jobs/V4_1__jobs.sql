-- The job queue. Workers claim with FOR UPDATE SKIP LOCKED and are woken by NOTIFY fieldcloud_jobs.
-- At most one job per project runs at a time: the partial unique index makes a concurrent second claim
-- fail, and the claim query only looks at projects with no started job.
CREATE TABLE jobs (
    id           uuid PRIMARY KEY,
    seq          bigserial NOT NULL UNIQUE,
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    type         text NOT NULL CHECK (type IN ('process_projectfile', 'package', 'delta_apply')),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'queued', 'started', 'finished', 'failed', 'stopped')),
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    heartbeat_at timestamptz,
    worker_id    text,
    options      jsonb NOT NULL DEFAULT '{}',
    output       text NOT NULL DEFAULT '',
    feedback     jsonb
);
CREATE UNIQUE INDEX jobs_one_started_per_project ON jobs (project_id) WHERE status = 'started';
CREATE INDEX jobs_waiting ON jobs (seq) WHERE status IN ('pending', 'queued');
CREATE INDEX jobs_project ON jobs (project_id, created_at);
CREATE INDEX jobs_started_heartbeat ON jobs (heartbeat_at) WHERE status = 'started';
