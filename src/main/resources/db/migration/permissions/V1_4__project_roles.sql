-- The effective project role of one person on every project they can reach, decided in SQL so that
-- lists get all roles in one statement. Origins are ranked as in the reference: the first origin wins
-- (a direct 'reader' collaborator beats an 'admin' team grant); among several teams the highest role wins.

CREATE FUNCTION project_role_level(role text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE role WHEN 'admin' THEN 5 WHEN 'manager' THEN 4 WHEN 'editor' THEN 3 WHEN 'reporter' THEN 2 WHEN 'reader' THEN 1 ELSE 0 END $$;

CREATE FUNCTION project_roles_of(p_user bigint)
    RETURNS TABLE (project_id uuid, role text, origin text)
    LANGUAGE sql STABLE AS
$$
SELECT DISTINCT ON (g.project_id) g.project_id, g.role, g.origin
FROM (
    SELECT p.id AS project_id, 'admin'::text AS role, 'project_owner'::text AS origin, 1 AS rank
      FROM projects p WHERE p.owner_id = p_user
    UNION ALL
    SELECT p.id, 'admin', 'organization_owner', 2
      FROM organizations o JOIN projects p ON p.owner_id = o.user_id WHERE o.owner_id = p_user
    UNION ALL
    SELECT p.id, 'admin', 'organization_admin', 3
      FROM organization_members m JOIN projects p ON p.owner_id = m.organization_id
     WHERE m.member_id = p_user AND m.role = 'admin'
    UNION ALL
    SELECT c.project_id, c.role, 'collaborator', 4
      FROM project_collaborators c WHERE c.collaborator_id = p_user
    UNION ALL
    SELECT c.project_id, c.role, 'team_member', 5
      FROM team_members tm JOIN project_collaborators c ON c.collaborator_id = tm.team_id WHERE tm.member_id = p_user
    UNION ALL
    SELECT p.id, o.default_project_role_for_members, 'organization_member', 6
      FROM organization_members m
      JOIN organizations o ON o.user_id = m.organization_id
      JOIN projects p ON p.owner_id = o.user_id
     WHERE m.member_id = p_user AND m.role <> 'admin' AND o.default_project_role_for_members IS NOT NULL
    UNION ALL
    SELECT p.id, 'reader', 'public', 7
      FROM projects p WHERE p.is_public AND p_user IS NOT NULL
) g
ORDER BY g.project_id, g.rank, project_role_level(g.role) DESC
$$;

-- The organization role of a person: the owner counts as 'admin' with origin 'organization_owner'.
CREATE FUNCTION organization_roles_of(p_user bigint)
    RETURNS TABLE (organization_id bigint, role text, origin text, is_public boolean)
    LANGUAGE sql STABLE AS
$$
SELECT o.user_id, 'admin'::text, 'organization_owner'::text, true FROM organizations o WHERE o.owner_id = p_user
UNION ALL
SELECT m.organization_id, m.role, 'organization_member', m.is_public
  FROM organization_members m
 WHERE m.member_id = p_user
   AND NOT EXISTS (SELECT 1 FROM organizations o WHERE o.user_id = m.organization_id AND o.owner_id = p_user)
$$;
