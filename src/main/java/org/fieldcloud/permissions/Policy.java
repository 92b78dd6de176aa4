package org.fieldcloud.permissions;

import java.util.Optional;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The one place that decides permissions. Every endpoint names the object it acts on by its path
 * parameters and asks here; body fields never select what is authorized (the reference's
 * escalation defect). Order of failures: anonymous 401, unknown object 404, not allowed 403.
 */
@Service
public class Policy {

    /**
     * SQL table function giving (project_id, role, origin) for the person bound to {@code :actor}. Project lists cache
     * its output until a trigger of migration V9_1 bumps the list version: when it starts to read another table or
     * column, add a trigger there.
     */
    public static final String PROJECT_ROLES = "project_roles_of(:actor)";
    /** SQL table function giving (organization_id, role, origin, is_public) for the person bound to {@code :actor}. */
    public static final String ORGANIZATION_ROLES = "organization_roles_of(:actor)";

    private final JdbcClient jdbc;

    public Policy(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record ProjectAccess(UUID projectId, String name, long ownerId, boolean ownedByOrganization, boolean isPublic,
                                String projectType, ProjectRole role, String origin, boolean roleValid) {

        public boolean template() {
            return "template".equals(projectType);
        }
    }

    public record OrganizationAccess(long organizationId, String username, long ownerId, String role, String origin) {

        public boolean owner() {
            return "organization_owner".equals(origin);
        }
    }

    public ProjectAccess requireProject(Actor actor, ProjectAction action, UUID projectId) {
        if (actor.anonymous()) {
            throw ApiException.notAuthenticated();
        }
        ProjectAccess access = projectAccess(actor, projectId)
                .orElseThrow(() -> ApiException.notFound("no project with id " + projectId + "."));
        if (!action.allows(access.role())) {
            throw ApiException.permissionDenied(denial(action, access.role()));
        }
        if (action == ProjectAction.READ_PROJECT && !access.roleValid()) {
            throw ApiException.permissionDenied("this project has more collaborators than its owner's plan allows, "
                    + "so it can only be opened again after collaborators are removed or the plan is changed.");
        }
        if (access.template() && (action == ProjectAction.PUSH_DELTAS || action == ProjectAction.READ_DELTAS
                || action == ProjectAction.APPLY_DELTAS)) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "operation_not_allowed_for_template_project",
                    "Template projects do not accept deltas.");
        }
        return access;
    }

    /**
     * D10.4: a collaborator grants, changes or removes only roles up to their own effective role, so a manager can
     * neither make anyone admin nor touch an admin (nor raise themselves). Organization owners and admins hold the
     * effective role admin and so keep every right.
     */
    public void requireMayHandleRole(ProjectAccess access, ProjectRole role, String verb) {
        if (access.role() == null || !access.role().atLeast(role)) {
            throw ApiException.permissionDenied("your role '" + (access.role() == null ? "none" : access.role().wireName())
                    + "' may not " + verb + " the role '" + role.wireName() + "'; only '" + role.wireName()
                    + "' or higher may, so ask a project or organization admin.");
        }
    }

    /** The actor's relation to a project without deciding anything; empty when the project does not exist. */
    public Optional<ProjectAccess> projectAccess(Actor actor, UUID projectId) {
        return jdbc.sql("""
                SELECT p.id, p.name, p.owner_id, (u.type = 2) AS by_org, p.is_public, p.project_type, r.role, r.origin,
                       p.is_public
                       OR ((pl.max_premium_collaborators_per_private_project = -1
                            OR pl.max_premium_collaborators_per_private_project >=
                               (SELECT count(*) FROM project_collaborators c JOIN users cu ON cu.id = c.collaborator_id
                                 WHERE c.project_id = p.id AND cu.type = 1 AND NOT c.is_incognito))
                           AND (u.type = 1 OR EXISTS (SELECT 1 FROM organization_roles_of(:actor) o WHERE o.organization_id = p.owner_id)))
                       AS role_valid
                  FROM projects p
                  JOIN users u ON u.id = p.owner_id
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = u.type))
                  LEFT JOIN project_roles_of(:actor) r ON r.project_id = p.id
                 WHERE p.id = :project
                """)
                .param("actor", actor.userId())
                .param("project", projectId)
                .query((rs, n) -> new ProjectAccess(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getString(6), rs.getString(7) == null ? null : ProjectRole.fromWire(rs.getString(7)),
                        rs.getString(8), rs.getBoolean(9)))
                .optional();
    }

    public OrganizationAccess requireOrganization(Actor actor, OrganizationAction action, String organization) {
        if (actor.anonymous()) {
            throw ApiException.notAuthenticated();
        }
        OrganizationAccess access = organizationAccess(actor, organization)
                .orElseThrow(() -> ApiException.notFound("no organization named '" + organization + "'."));
        if (!allows(access, action)) {
            if (action == OrganizationAction.READ_PROFILE) {
                // Non-members must not learn anything about an organization's profile (reference: 404).
                throw ApiException.notFound("no organization named '" + organization + "' that you belong to.");
            }
            throw ApiException.permissionDenied("you may not " + action.description()
                    + (access.role() == null ? " (you are not a member)." : " with your role '" + access.role() + "'."));
        }
        return access;
    }

    /** Whether this relation to an organization allows the action; pages use it to offer only what is allowed. */
    public static boolean allows(OrganizationAccess access, OrganizationAction action) {
        return switch (action.level()) {
            case ANY_PERSON -> true;
            case MEMBER -> access.role() != null;
            case CREATOR -> "admin".equals(access.role()) || "creator".equals(access.role());
            case ADMIN -> "admin".equals(access.role());
            case OWNER -> access.owner();
        };
    }

    public Optional<OrganizationAccess> organizationAccess(Actor actor, String organization) {
        return jdbc.sql("""
                SELECT o.user_id, u.username, o.owner_id, r.role, r.origin
                  FROM users u
                  JOIN organizations o ON o.user_id = u.id
                  LEFT JOIN organization_roles_of(:actor) r ON r.organization_id = o.user_id
                 WHERE u.username = :name AND u.type = 2
                """)
                .param("actor", actor.userId())
                .param("name", organization)
                .query((rs, n) -> new OrganizationAccess(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5)))
                .optional();
    }

    /** True when the actor may create projects owned by the given account (person: only themselves). */
    public boolean canCreateProjectFor(Actor actor, long ownerId) {
        if (actor.anonymous()) {
            return false;
        }
        if (ownerId == actor.userId()) {
            return true;
        }
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + ORGANIZATION_ROLES + " r WHERE r.organization_id = :owner AND r.role IN ('admin', 'creator'))")
                .param("actor", actor.userId())
                .param("owner", ownerId)
                .query(Boolean.class).single();
    }

    public void requireAuthenticated(Actor actor) {
        actor.requireUserId();
    }

    public void requireStaff(Actor actor, String what) {
        actor.requireUserId();
        if (!actor.staff()) {
            throw ApiException.permissionDenied("only staff may " + what + ".");
        }
    }

    /** The actor must be the named person. */
    public void requireSelf(Actor actor, String username, String what) {
        actor.requireUserId();
        if (!actor.username().equals(username)) {
            throw ApiException.permissionDenied("you may only " + what + " for your own account.");
        }
    }

    private static String denial(ProjectAction action, ProjectRole role) {
        return role == null
                ? "you have no role on this project."
                : "your role '" + role.wireName() + "' may not " + action.description() + "; that needs '"
                        + action.weakestRole().wireName() + "' or higher.";
    }
}
