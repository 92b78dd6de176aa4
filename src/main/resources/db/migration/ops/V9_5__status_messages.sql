-- Incident and maintenance messages set by staff through /api/v1/status/messages/, shown by /api/v1/status/ on
-- every node. One row per kind; a row with a NULL message records that staff cleared it, which also hides a
-- message configured by FIELDCLOUD_STATUS_* (without a row, those settings are shown).
CREATE TABLE status_messages (
    kind        text PRIMARY KEY CHECK (kind IN ('incident', 'maintenance')),
    message     text CHECK (length(message) BETWEEN 1 AND 2000),
    starts_at   timestamptz,
    ends_at     timestamptz CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at),
    set_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    set_at      timestamptz NOT NULL DEFAULT now()
);
