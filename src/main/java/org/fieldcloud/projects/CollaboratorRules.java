package org.fieldcloud.projects;

import java.util.Set;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.permissions.Policy;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who may become a collaborator of which project (reference §2.6 and §3.5, DECISIONS D3). Model rules
 * answer 400 {@code validation_error}; plan rules answer 403 because the request is valid but the owner's
 * plan does not allow it.
 */
final class CollaboratorRules {

    private static final Set<String> PERSONAL_PROJECT_ROLES = Set.of("reporter", "reader");

    private CollaboratorRules() { }

    static void check(JdbcClient jdbc, Policy.ProjectAccess project, Account target, String role) {
        if (target.id() == project.ownerId()) {
            throw ApiException.validation("'" + target.username() + "' owns this project and cannot also be its collaborator.");
        }
        if (!project.ownedByOrganization() && target.type() == Account.TEAM) {
            throw ApiException.validation("Teams can only collaborate on organization-owned projects; '"
                    + target.username() + "' cannot join a personal project.");
        }
        checkRoleForOwner(project, role);
        if (project.ownedByOrganization() && target.person() && !inOrganization(jdbc, project.ownerId(), target.id())) {
            throw ApiException.validation("'" + target.username() + "' must first become a member of the organization that owns this project.");
        }
        if (target.type() == Account.TEAM && !teamOf(jdbc, project.ownerId(), target.id())) {
            throw ApiException.validation("The team '" + target.username() + "' belongs to another organization than this project's owner.");
        }
        if (alreadyCollaborator(jdbc, project, target)) {
            throw ApiException.validation("'" + target.username() + "' is already a collaborator of this project.");
        }
    }

    /** Seed 004: personal projects take only reporters and readers. */
    static void checkRoleForOwner(Policy.ProjectAccess project, String role) {
        if (!project.ownedByOrganization() && !PERSONAL_PROJECT_ROLES.contains(role)) {
            throw ApiException.validation("Field 'role': collaborators of a personal project can only be 'reporter' or 'reader', not '"
                    + role + "'; move the project to an organization to give the role '" + role + "'.");
        }
    }

    /** Private projects only: the owner plan's collaborator limit, then the premium plan of the newcomer. */
    static void checkPlanLimits(JdbcClient jdbc, Policy.ProjectAccess project, Account target) {
        if (isOrganizationOwner(jdbc, project, target)) {
            return;
        }
        int limit = jdbc.sql("""
                SELECT pl.max_premium_collaborators_per_private_project FROM users u
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = u.type))
                 WHERE u.id = :owner""").param("owner", project.ownerId()).query(Integer.class).single();
        long direct = jdbc.sql("SELECT (" + ProjectRows.DIRECT_COLLABORATORS + ") FROM projects p WHERE p.id = :project")
                .param("project", project.projectId()).query(Long.class).single();
        if (limit != -1 && direct + 1 > limit) {
            throw ApiException.permissionDenied("this private project already has " + direct + " collaborator(s), the most its owner's plan allows ("
                    + limit + "); make the project public, remove a collaborator or change the owner's plan.");
        }
        boolean premium = jdbc.sql("""
                SELECT pl.is_premium FROM users u
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = 1))
                 WHERE u.id = :user""").param("user", target.id()).query(Boolean.class).single();
        if (!premium) {
            throw ApiException.permissionDenied("'" + target.username()
                    + "' does not have a premium plan, which private projects require of their collaborators; make the project public or ask them to change plan.");
        }
    }

    private static boolean inOrganization(JdbcClient jdbc, long org, long person) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM organizations WHERE user_id = :org AND owner_id = :person)
                    OR EXISTS (SELECT 1 FROM organization_members WHERE organization_id = :org AND member_id = :person)""")
                .param("org", org).param("person", person).query(Boolean.class).single();
    }

    private static boolean teamOf(JdbcClient jdbc, long org, long team) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM teams WHERE user_id = :team AND organization_id = :org)")
                .param("team", team).param("org", org).query(Boolean.class).single();
    }

    private static boolean alreadyCollaborator(JdbcClient jdbc, Policy.ProjectAccess project, Account target) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM project_collaborators WHERE project_id = :p AND collaborator_id = :c)")
                .param("p", project.projectId()).param("c", target.id()).query(Boolean.class).single();
    }

    private static boolean isOrganizationOwner(JdbcClient jdbc, Policy.ProjectAccess project, Account target) {
        return project.ownedByOrganization() && jdbc.sql("SELECT EXISTS (SELECT 1 FROM organizations WHERE user_id = :org AND owner_id = :person)")
                .param("org", project.ownerId()).param("person", target.id()).query(Boolean.class).single();
    }
}
