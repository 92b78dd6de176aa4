-- Every backup attempt, so that status/ and the metrics can say when the last good one was taken.
CREATE TABLE backups (
    id          bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    location    text        NOT NULL,
    error       text
);
CREATE INDEX backups_finished_ok ON backups (finished_at) WHERE error IS NULL;
