-- Issue 12 §1: nodes cache each person's ordered project list (ids, role, origin; ProjectListCache). Anything that
-- can change which projects a person sees, with which role, or in which order bumps this one number, in the same
-- transaction as the change and whatever code path (API, pages, admin command, another node, plain SQL) made it.
-- Every page statement reads the number in its own snapshot, so a cached list is used only while it is exact.
--
-- What is watched: every input of project_roles_of (projects' owner and visibility, organizations' owner and
-- default role, memberships, team memberships, collaborators) and every column the lists filter or sort by
-- (project name, featured flag, creation time, owner's username). Whoever makes project_roles_of or the list's
-- filters read anything else must add a trigger here.
--
-- The triggers are deferred to commit time: the number's row lock is then the last lock a transaction takes, so it
-- cannot take part in a deadlock, and it is held only for the commit. A transaction bumps the number once however
-- many rows it changes.
CREATE TABLE project_list_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL
);
INSERT INTO project_list_version (version) VALUES (1);

-- The transaction-local setting marks "already bumped" (not a stored transaction id: a restored backup starts a new
-- cluster whose transaction ids could meet a stored one again).
CREATE FUNCTION bump_project_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('fieldcloud.project_list_bumped', true) IS DISTINCT FROM 'yes' THEN
        UPDATE project_list_version SET version = version + 1;
        PERFORM set_config('fieldcloud.project_list_bumped', 'yes', true);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER projects_list_rows AFTER INSERT OR DELETE ON projects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_project_list_version();
CREATE CONSTRAINT TRIGGER projects_list_columns AFTER UPDATE ON projects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.is_public IS DISTINCT FROM NEW.is_public
          OR OLD.name IS DISTINCT FROM NEW.name OR OLD.is_featured IS DISTINCT FROM NEW.is_featured
          OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION bump_project_list_version();

CREATE CONSTRAINT TRIGGER users_list_username AFTER UPDATE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.type IS DISTINCT FROM NEW.type)
    EXECUTE FUNCTION bump_project_list_version();

CREATE CONSTRAINT TRIGGER organizations_list_rows AFTER INSERT OR DELETE ON organizations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_project_list_version();
CREATE CONSTRAINT TRIGGER organizations_list_columns AFTER UPDATE ON organizations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.user_id IS DISTINCT FROM NEW.user_id
          OR OLD.default_project_role_for_members IS DISTINCT FROM NEW.default_project_role_for_members)
    EXECUTE FUNCTION bump_project_list_version();

CREATE CONSTRAINT TRIGGER organization_members_list_rows AFTER INSERT OR DELETE ON organization_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_project_list_version();
CREATE CONSTRAINT TRIGGER organization_members_list_columns AFTER UPDATE ON organization_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.member_id IS DISTINCT FROM NEW.member_id
          OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION bump_project_list_version();

CREATE CONSTRAINT TRIGGER team_members_list_rows AFTER INSERT OR DELETE OR UPDATE ON team_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_project_list_version();

CREATE CONSTRAINT TRIGGER project_collaborators_list_rows AFTER INSERT OR DELETE ON project_collaborators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_project_list_version();
CREATE CONSTRAINT TRIGGER project_collaborators_list_columns AFTER UPDATE ON project_collaborators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.collaborator_id IS DISTINCT FROM NEW.collaborator_id
          OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION bump_project_list_version();

-- A project's shared-datasets sibling is looked up per listed row; this makes it one probe of a tiny index
-- instead of a scan of all the owner's projects.
CREATE INDEX projects_shared_datasets ON projects (owner_id, created_at) WHERE project_type = 'shared_datasets';
