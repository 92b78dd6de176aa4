package org.fieldcloud.secrets;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Organization and project secrets (DECISIONS D4): list, create and delete; never edit; {@code value} is
 * write-only. Authorization and the assignment rules live in {@link SecretAdministration}, shared with the web pages.
 */
@RestController
@RequestMapping("/api/v1")
class SecretsController {

    private final SecretAdministration secrets;

    SecretsController(SecretAdministration secrets) {
        this.secrets = secrets;
    }

    @GetMapping("/projects/{projectId}/secrets")
    List<Map<String, Object>> listProject(Actor actor, @PathVariable UUID projectId) {
        return secrets.listProject(actor, projectId);
    }

    @PostMapping("/projects/{projectId}/secrets")
    ResponseEntity<Map<String, Object>> createProject(Actor actor, @PathVariable UUID projectId, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(secrets.createProject(actor, projectId, body));
    }

    @DeleteMapping("/projects/{projectId}/secrets/{secretId}")
    ResponseEntity<Void> deleteProject(Actor actor, @PathVariable UUID projectId, @PathVariable long secretId) {
        secrets.deleteProject(actor, projectId, secretId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/projects/{projectId}/secrets/audit")
    List<Map<String, Object>> auditProject(Actor actor, @PathVariable UUID projectId) {
        return secrets.auditProject(actor, projectId);
    }

    @GetMapping("/organizations/{organization}/secrets")
    List<Map<String, Object>> listOrganization(Actor actor, @PathVariable String organization) {
        return secrets.listOrganization(actor, organization);
    }

    @PostMapping("/organizations/{organization}/secrets")
    ResponseEntity<Map<String, Object>> createOrganization(Actor actor, @PathVariable String organization, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(secrets.createOrganization(actor, organization, body));
    }

    @DeleteMapping("/organizations/{organization}/secrets/{secretId}")
    ResponseEntity<Void> deleteOrganization(Actor actor, @PathVariable String organization, @PathVariable long secretId) {
        secrets.deleteOrganization(actor, organization, secretId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/organizations/{organization}/secrets/audit")
    List<Map<String, Object>> auditOrganization(Actor actor, @PathVariable String organization) {
        return secrets.auditOrganization(actor, organization);
    }

    @RequestMapping(path = {"/projects/{projectId}/secrets/{secretId}", "/organizations/{organization}/secrets/{secretId}"},
            method = {RequestMethod.PUT, RequestMethod.PATCH})
    ResponseEntity<Map<String, String>> edit() {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).body(Map.of("code", "api_error",
                "message", "Secrets cannot be edited; delete the secret and create a new one."));
    }
}
