-- Resolution reads a scope's unassigned secrets and those assigned to one person; with (scope, assignee) first in
-- the unique indexes those are two index ranges, whatever the number of secrets assigned to other people.
DROP INDEX secrets_unique_org;
DROP INDEX secrets_unique_project;
CREATE UNIQUE INDEX secrets_unique_org ON secrets (organization_id, coalesce(assigned_to, 0), name) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX secrets_unique_project ON secrets (project_id, coalesce(assigned_to, 0), name) WHERE project_id IS NOT NULL;
