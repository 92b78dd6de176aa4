package org.fieldcloud.secrets;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Managing secrets on behalf of a person, for the API and the web pages alike: every method asks the policy
 * module first (project secrets: effective role admin; organization secrets: owner or admin), so no caller can
 * reach a scope it may not manage. Values go in and never come out.
 */
@Service
public class SecretAdministration {

    static final Set<String> TYPES = Set.of("envvar", "pgservice");

    private final Policy policy;
    private final Secrets secrets;
    private final SecretResolution resolution;
    private final JdbcClient jdbc;

    SecretAdministration(Policy policy, Secrets secrets, SecretResolution resolution, JdbcClient jdbc) {
        this.policy = policy;
        this.secrets = secrets;
        this.resolution = resolution;
        this.jdbc = jdbc;
    }

    /** For one person, the secret that wins for each name and the level it comes from; never a value. */
    public record Winner(String name, String type, String level) { }

    public List<Map<String, Object>> listProject(Actor actor, UUID projectId) {
        return secrets.list(project(actor, projectId));
    }

    public Map<String, Object> createProject(Actor actor, UUID projectId, RequestFields body) {
        SecretScope scope = project(actor, projectId);
        Long assigned = assignee(body, "SELECT EXISTS (SELECT 1 FROM has_project_role(:u, :s) WHERE has_role)", projectId,
                "has no role on this project");
        return secrets.create(scope, newSecret(body, assigned), actor.userId());
    }

    public void deleteProject(Actor actor, UUID projectId, long secretId) {
        secrets.delete(project(actor, projectId), secretId, actor.userId());
    }

    public List<Map<String, Object>> auditProject(Actor actor, UUID projectId) {
        return secrets.auditLog(project(actor, projectId));
    }

    public List<Map<String, Object>> listOrganization(Actor actor, String organization) {
        return secrets.list(organization(actor, organization));
    }

    public Map<String, Object> createOrganization(Actor actor, String organization, RequestFields body) {
        SecretScope scope = organization(actor, organization);
        Long assigned = assignee(body, "SELECT EXISTS (SELECT 1 FROM organization_roles_of(:u) r WHERE r.organization_id = :s)",
                scope.organizationId(), "is not a member of this organization");
        return secrets.create(scope, newSecret(body, assigned), actor.userId());
    }

    public void deleteOrganization(Actor actor, String organization, long secretId) {
        secrets.delete(organization(actor, organization), secretId, actor.userId());
    }

    public List<Map<String, Object>> auditOrganization(Actor actor, String organization) {
        return secrets.auditLog(organization(actor, organization));
    }

    /** Project tab: what a job of {@code person} on this project would get, by name and level. */
    public List<Winner> projectWinners(Actor actor, UUID projectId, String person) {
        project(actor, projectId);
        return resolution.winners(personId(person), projectId);
    }

    /** Organization tab: the same for one of the organization's own projects (its secrets reach no other). */
    public List<Winner> organizationWinners(Actor actor, String organization, UUID projectId, String person) {
        SecretScope scope = organization(actor, organization);
        boolean owned = jdbc.sql("SELECT EXISTS (SELECT 1 FROM projects WHERE id = :p AND owner_id = :o)")
                .param("p", projectId).param("o", scope.organizationId()).query(Boolean.class).single();
        if (!owned) {
            throw ApiException.badRequest("Field 'project': this organization owns no project with id " + projectId + ".");
        }
        return resolution.winners(personId(person), projectId);
    }

    private long personId(String username) {
        return jdbc.sql("SELECT id FROM users WHERE username = :u AND type = 1").param("u", username).query(Long.class).optional()
                .orElseThrow(() -> ApiException.badRequest("Field 'person': there is no user named '" + username + "'."));
    }

    private SecretScope project(Actor actor, UUID projectId) {
        return SecretScope.project(policy.requireProject(actor, ProjectAction.MANAGE_SECRETS, projectId).projectId());
    }

    private SecretScope organization(Actor actor, String organization) {
        return SecretScope.organization(policy.requireOrganization(actor, OrganizationAction.MANAGE_SECRETS, organization).organizationId());
    }

    private static Secrets.NewSecret newSecret(RequestFields body, Long assigned) {
        String type = body.choice("type", TYPES)
                .orElseThrow(() -> ApiException.badRequest("Field 'type' is required: 'envvar' or 'pgservice'."));
        String value = body.requiredString("value");
        if (value.isEmpty()) {
            throw ApiException.badRequest("Field 'value' must not be empty.");
        }
        return new Secrets.NewSecret(body.string("name").orElse(null), type, value, assigned);
    }

    private Long assignee(RequestFields body, String membershipSql, Object scopeKey, String notMember) {
        String username = body.string("assigned_to").orElse(null);
        if (username == null || username.isEmpty()) {
            return null;
        }
        Long id = jdbc.sql("SELECT id FROM users WHERE username = :u AND type = 1").param("u", username).query(Long.class).optional()
                .orElseThrow(() -> ApiException.badRequest("Field 'assigned_to': there is no user named '" + username + "'."));
        boolean member = jdbc.sql(membershipSql).param("u", id).param("s", scopeKey).query(Boolean.class).single();
        if (!member) {
            throw ApiException.badRequest("Field 'assigned_to': the user '" + username + "' " + notMember + ".");
        }
        return id;
    }
}
