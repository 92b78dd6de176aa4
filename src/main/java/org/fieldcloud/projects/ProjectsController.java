package org.fieldcloud.projects;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.springframework.http.HttpStatus;
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
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, HttpServletRequest request) {
        policy.requireAuthenticated(actor);
        return respond(actor, ProjectListQuery.forUser(request), "JOIN", request);
    }

    @GetMapping("/public")
    ResponseEntity<List<Map<String, Object>>> listPublic(Actor actor, HttpServletRequest request) {
        policy.requireAuthenticated(actor);
        return respond(actor, ProjectListQuery.forPublic(request), "LEFT JOIN", request);
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

    private ResponseEntity<List<Map<String, Object>>> respond(Actor actor, ProjectListQuery query, String roleJoin,
                                                              HttpServletRequest request) {
        Page page = Page.from(request);
        Projects.Listing listing = projects.list(actor, query, page, roleJoin);
        return page.respond(listing.rows(), listing.total());
    }
}
