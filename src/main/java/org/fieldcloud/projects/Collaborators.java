package org.fieldcloud.projects;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.fieldcloud.permissions.ProjectRole;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Project collaborators (reference §2.6, DECISIONS D3). Unlike the reference, the API itself enforces: personal
 * projects take only {@code reporter}/{@code reader} collaborators and no teams; on a private project, person
 * collaborators beyond the owner plan's {@code max_premium_collaborators_per_private_project} are refused, and
 * only persons whose plan is premium may join. Teams are never counted nor limited.
 *
 * <p>Incognito collaborators (decision, the spec is silent on how they are made): a caller who is staff
 * <em>and</em> holds a role that manages collaborators on the project may send {@code "is_incognito": true}
 * on POST; anyone else sending it gets a 403. Incognito collaborators hold their role normally, are not
 * counted toward limits nor checked for premium plans, and are invisible to non-staff callers everywhere in
 * this API: lists, detail, change and removal answer as if the row did not exist (404). Staff see an extra
 * {@code is_incognito} field. The flag is set on POST only; to change it, remove and add the collaborator.
 * Adding a person who already is an incognito collaborator still answers "already a collaborator", since the
 * row exists. {@code updated_by} is refreshed on every change (the reference leaves it stale).
 */
@Service
public class Collaborators {

    private static final String SELECT = """
            SELECT c.project_id, cu.username AS collaborator, c.role, cb.username AS created_by, ub.username AS updated_by,
                   c.created_at, c.updated_at, c.is_incognito
              FROM project_collaborators c
              JOIN users cu ON cu.id = c.collaborator_id
              LEFT JOIN users cb ON cb.id = c.created_by
              LEFT JOIN users ub ON ub.id = c.updated_by
             WHERE c.project_id = :project AND (:staff OR NOT c.is_incognito)
            """;

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;

    Collaborators(JdbcClient jdbc, Policy policy, Accounts accounts) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
    }

    public Projects.Listing list(Actor actor, UUID project, Page page) {
        policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, project);
        List<Map<String, Object>> rows = jdbc.sql(SELECT + " ORDER BY c.id" + page.sql())
                .param("project", project).param("staff", actor.staff()).query((rs, n) -> CollaboratorView.map(rs, actor.staff())).list();
        long total = !page.active() ? rows.size() : jdbc.sql(
                        "SELECT count(*) FROM project_collaborators c WHERE c.project_id = :project AND (:staff OR NOT c.is_incognito)")
                .param("project", project).param("staff", actor.staff()).query(Long.class).single();
        return new Projects.Listing(rows, total);
    }

    Map<String, Object> get(Actor actor, UUID project, String username) {
        policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, project);
        return view(actor, project, username);
    }

    @Transactional
    public Map<String, Object> add(Actor actor, UUID project, RequestFields body) {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, project);
        lockProject(project);
        String role = body.choice("role", ProjectRole.NAMES).orElse("reader");
        policy.requireMayHandleRole(access, ProjectRole.fromWire(role), "grant");
        boolean incognito = body.bool("is_incognito").orElse(false);
        if (incognito && !actor.staff()) {
            throw ApiException.permissionDenied("only staff may add incognito collaborators (field 'is_incognito').");
        }
        Account target = collaboratorAccount(body.requiredNonBlank("collaborator"));
        CollaboratorRules.check(jdbc, access, target, role);
        if (target.person() && !incognito && !access.isPublic()) {
            CollaboratorRules.checkPlanLimits(jdbc, access, target);
        }
        jdbc.sql("""
                INSERT INTO project_collaborators (project_id, collaborator_id, role, is_incognito, created_by, updated_by)
                VALUES (:project, :target, :role, :incognito, :actor, :actor)""")
                .param("project", project).param("target", target.id()).param("role", role)
                .param("incognito", incognito).param("actor", actor.userId()).update();
        return view(actor, project, target.username());
    }

    @Transactional
    public Map<String, Object> update(Actor actor, UUID project, String username, RequestFields body, boolean replace) {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, project);
        if (replace) {
            String named = body.requiredNonBlank("collaborator");
            if (!named.equals(username)) {
                throw ApiException.badRequest("Field 'collaborator' must name the collaborator of the URL ('" + username
                        + "'); remove and add collaborators to replace one by another.");
            }
        }
        String role = body.choice("role", ProjectRole.NAMES).orElse(replace ? "reader" : null);
        ProjectRole current = currentRole(actor, project, username);
        if (role != null) {
            policy.requireMayHandleRole(access, current, "change");
            policy.requireMayHandleRole(access, ProjectRole.fromWire(role), "grant");
            CollaboratorRules.checkRoleForOwner(access, role);
            jdbc.sql("""
                    UPDATE project_collaborators SET role = :role, updated_by = :actor, updated_at = now()
                     WHERE project_id = :project AND collaborator_id = (SELECT id FROM users WHERE username = :username)""")
                    .param("role", role).param("actor", actor.userId()).param("project", project).param("username", username).update();
        }
        return view(actor, project, username);
    }

    @Transactional
    public void remove(Actor actor, UUID project, String username) {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, project);
        policy.requireMayHandleRole(access, currentRole(actor, project, username), "remove");
        jdbc.sql("DELETE FROM project_collaborators WHERE project_id = :project AND collaborator_id = (SELECT id FROM users WHERE username = :username)")
                .param("project", project).param("username", username).update();
    }

    private ProjectRole currentRole(Actor actor, UUID project, String username) {
        return ProjectRole.fromWire(String.valueOf(view(actor, project, username).get("role")));
    }

    private Map<String, Object> view(Actor actor, UUID project, String username) {
        return jdbc.sql(SELECT + " AND cu.username = :username")
                .param("project", project).param("staff", actor.staff()).param("username", username)
                .query((rs, n) -> CollaboratorView.map(rs, actor.staff())).optional()
                .orElseThrow(() -> ApiException.notFound("'" + username + "' is not a collaborator of project " + project + "."));
    }

    /** Serializes additions per project so that two concurrent requests cannot both pass the plan limit. */
    private void lockProject(UUID project) {
        jdbc.sql("SELECT id FROM projects WHERE id = :project FOR UPDATE").param("project", project).query(UUID.class).single();
    }

    private Account collaboratorAccount(String username) {
        Account target = accounts.byUsername(username).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "api_error",
                "Field 'collaborator': there is no user or team named '" + username + "' (team names are '@<organization>/<team>')."));
        if (target.type() == Account.ORGANIZATION) {
            throw ApiException.badRequest("Field 'collaborator': '" + username
                    + "' is an organization; add a person or one of its teams instead.");
        }
        return target;
    }
}
