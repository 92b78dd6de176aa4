-- Issue 12 §1: nodes keep each person's last full project list as its rendered JSON body (ProjectListCache), valid
-- only while nothing it shows has changed. The rows show more than the list version of V9_1 watches: descriptions,
-- sizes and timestamps, the busy flag (jobs), needs_repackaging (packages, jobs, personal secrets), the owner's
-- name and plan limits, the collaborator count. Bumping one counter on every such change would make every upload,
-- push and job transaction in the server wait for the previous one's commit on that counter's row lock, so each
-- changing transaction instead writes its own row here, which takes no lock anyone else needs.
--
-- A cached body remembers the snapshot it was read in (pg_current_snapshot). It is still exact when no change
-- row is visible now that was not visible in that snapshot: such a row belongs to a transaction that committed
-- after the body was read. A transaction still running is invisible to both, and so are its changes.
-- Whoever makes the project rows (ProjectRows) read anything else must add a trigger here.
CREATE TABLE project_changes (
    xid xid8 PRIMARY KEY
);

-- Rows older than every snapshot a body may be checked against are deleted (ProjectChangesPruner). A body read in
-- a snapshot older than the horizon can no longer be checked and is recomputed.
CREATE TABLE project_changes_horizon (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    horizon  xid8 NOT NULL
);
INSERT INTO project_changes_horizon (horizon) VALUES (pg_snapshot_xmin(pg_current_snapshot()));

-- Once per transaction, like V9_1's bump (the setting is rolled back with a rolled-back savepoint, as the row is).
CREATE FUNCTION note_project_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('fieldcloud.project_change_noted', true) IS DISTINCT FROM 'yes' THEN
        INSERT INTO project_changes (xid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
        PERFORM set_config('fieldcloud.project_change_noted', 'yes', true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER projects_changes AFTER INSERT OR UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER plans_changes AFTER INSERT OR UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER project_collaborators_changes AFTER INSERT OR UPDATE OR DELETE ON project_collaborators
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER packages_changes AFTER INSERT OR UPDATE OR DELETE ON packages
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER secrets_changes AFTER INSERT OR DELETE ON secrets
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER secrets_assignment_changes AFTER UPDATE ON secrets
    FOR EACH ROW
    WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
          OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to)
    EXECUTE FUNCTION note_project_change();
-- Jobs: their status makes a project busy and their packages current; heartbeats and logs change nothing shown.
CREATE TRIGGER jobs_changes AFTER INSERT OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER jobs_status_changes AFTER UPDATE ON jobs
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.project_id IS DISTINCT FROM NEW.project_id
          OR OLD.seq IS DISTINCT FROM NEW.seq)
    EXECUTE FUNCTION note_project_change();
-- Owners: their name, their kind and their plan; logins and tokens change nothing shown.
CREATE TRIGGER users_changes AFTER INSERT OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER users_shown_changes AFTER UPDATE ON users
    FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.type IS DISTINCT FROM NEW.type
          OR OLD.plan_id IS DISTINCT FROM NEW.plan_id)
    EXECUTE FUNCTION note_project_change();
-- Organizations: who owns one (its owner is not counted as a collaborator).
CREATE TRIGGER organizations_changes AFTER INSERT OR DELETE ON organizations
    FOR EACH ROW EXECUTE FUNCTION note_project_change();
CREATE TRIGGER organizations_owner_changes AFTER UPDATE ON organizations
    FOR EACH ROW
    WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION note_project_change();
