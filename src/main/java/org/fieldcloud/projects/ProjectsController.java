package org.fieldcloud.projects;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/projects/}: the projects API of the reference (§2.5). */
@RestController
@RequestMapping("/api/v1/projects")
class ProjectsController {

    private final Projects projects;
    private final Policy policy;

    ProjectsController(Projects projects, Policy policy) {
        this.projects = projects;
        this.policy = policy;
    }

    @GetMapping
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(type = "object"))))
    ResponseEntity<byte[]> list(Actor actor, HttpServletRequest request) {
        policy.requireAuthenticated(actor);
        return respond(actor, ProjectListQuery.forUser(request), request);
    }

    @GetMapping("/public")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(type = "object"))))
    ResponseEntity<byte[]> listPublic(Actor actor, HttpServletRequest request) {
        policy.requireAuthenticated(actor);
        return respond(actor, ProjectListQuery.forPublic(request), request);
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(projects.create(actor, body));
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable UUID id) {
        return projects.get(actor, id);
    }

    @PutMapping("/{id}")
    Map<String, Object> replace(Actor actor, @PathVariable UUID id, RequestFields body) {
        return projects.update(actor, id, body, true);
    }

    @PatchMapping("/{id}")
    Map<String, Object> patch(Actor actor, @PathVariable UUID id, RequestFields body) {
        return projects.update(actor, id, body, false);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable UUID id) {
        projects.delete(actor, id);
        return ResponseEntity.noContent().build();
    }

    /** The body is written by {@link Projects#listJson} (no Maps, no reflection); headers as for every paginated list. */
    private ResponseEntity<byte[]> respond(Actor actor, ProjectListQuery query, HttpServletRequest request) {
        Page page = Page.from(request);
        Projects.JsonList list = projects.listJson(actor, query, page);
        return ResponseEntity.ok().headers(page.headers(list.total())).contentType(MediaType.APPLICATION_JSON).body(list.json());
    }
}
