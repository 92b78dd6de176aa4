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
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Organization and project secrets (DECISIONS D4): list, create and delete; never edit; {@code value} is
 * write-only. Project secrets need the effective project role admin; organization secrets the organization
 * owner or an admin. A secret may be assigned only to a user with a role on that project / in that organization.
 */
@RestController
@RequestMapping("/api/v1")
class SecretsController {

    private static final Set<String> TYPES = Set.of("envvar", "pgservice");

    private final Policy policy;
    private final Secrets secrets;
    private final JdbcClient jdbc;

    SecretsController(Policy policy, Secrets secrets, JdbcClient jdbc) {
        this.policy = policy;
        this.secrets = secrets;
        this.jdbc = jdbc;
    }

    @GetMapping("/projects/{projectId}/secrets")
    List<Map<String, Object>> listProject(Actor actor, @PathVariable UUID projectId) {
        return secrets.list(project(actor, projectId));
    }

    @PostMapping("/projects/{projectId}/secrets")
    ResponseEntity<Map<String, Object>> createProject(Actor actor, @PathVariable UUID projectId, RequestFields body) {
        SecretScope scope = project(actor, projectId);
        Long assigned = assignee(body, "SELECT EXISTS (SELECT 1 FROM has_project_role(:u, :s) WHERE has_role)", projectId,
                "has no role on this project");
        return ResponseEntity.status(HttpStatus.CREATED).body(secrets.create(scope, newSecret(body, assigned), actor.userId()));
    }

    @DeleteMapping("/projects/{projectId}/secrets/{secretId}")
    ResponseEntity<Void> deleteProject(Actor actor, @PathVariable UUID projectId, @PathVariable long secretId) {
        secrets.delete(project(actor, projectId), secretId, actor.userId());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/projects/{projectId}/secrets/audit")
    List<Map<String, Object>> auditProject(Actor actor, @PathVariable UUID projectId) {
        return secrets.auditLog(project(actor, projectId));
    }

    @GetMapping("/organizations/{organization}/secrets")
    List<Map<String, Object>> listOrganization(Actor actor, @PathVariable String organization) {
        return secrets.list(organization(actor, organization));
    }

    @PostMapping("/organizations/{organization}/secrets")
    ResponseEntity<Map<String, Object>> createOrganization(Actor actor, @PathVariable String organization, RequestFields body) {
        SecretScope scope = organization(actor, organization);
        Long assigned = assignee(body, "SELECT EXISTS (SELECT 1 FROM organization_roles_of(:u) r WHERE r.organization_id = :s)",
                scope.organizationId(), "is not a member of this organization");
        return ResponseEntity.status(HttpStatus.CREATED).body(secrets.create(scope, newSecret(body, assigned), actor.userId()));
    }

    @DeleteMapping("/organizations/{organization}/secrets/{secretId}")
    ResponseEntity<Void> deleteOrganization(Actor actor, @PathVariable String organization, @PathVariable long secretId) {
        secrets.delete(organization(actor, organization), secretId, actor.userId());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/organizations/{organization}/secrets/audit")
    List<Map<String, Object>> auditOrganization(Actor actor, @PathVariable String organization) {
        return secrets.auditLog(organization(actor, organization));
    }

    @RequestMapping(path = {"/projects/{projectId}/secrets/{secretId}", "/organizations/{organization}/secrets/{secretId}"},
            method = {RequestMethod.PUT, RequestMethod.PATCH})
    ResponseEntity<Map<String, String>> edit() {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).body(Map.of("code", "api_error",
                "message", "Secrets cannot be edited; delete the secret and create a new one."));
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
