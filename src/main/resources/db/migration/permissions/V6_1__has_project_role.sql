-- Whether a person has any role on one project: the branches of project_roles_of, asked for a single
-- (person, project) pair. Written as a set-returning SQL function so that the planner inlines it; the generic
-- project_roles_of plans all seven branches plus a sort, which costs more than the rest of a secret resolution.
-- ProjectRoleCheckTest keeps the two in agreement.
CREATE FUNCTION has_project_role(p_user bigint, p_project uuid)
    RETURNS TABLE (has_role boolean)
    LANGUAGE sql STABLE AS
$$
SELECT p_user IS NOT NULL AND (
       p.owner_id = p_user
    OR p.is_public
    OR EXISTS (SELECT 1 FROM project_collaborators c WHERE c.project_id = p.id AND c.collaborator_id = p_user)
    OR EXISTS (SELECT 1 FROM team_members tm JOIN project_collaborators c ON c.collaborator_id = tm.team_id
                WHERE c.project_id = p.id AND tm.member_id = p_user)
    OR EXISTS (SELECT 1 FROM organizations o WHERE o.user_id = p.owner_id AND o.owner_id = p_user)
    OR EXISTS (SELECT 1 FROM organizations o JOIN organization_members m ON m.organization_id = o.user_id
                WHERE o.user_id = p.owner_id AND m.member_id = p_user
                  AND (m.role = 'admin' OR o.default_project_role_for_members IS NOT NULL)))
  FROM projects p
 WHERE p.id = p_project
$$;
