package org.fieldcloud.projects;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
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

/**
 * {@code /api/v1/collaborators/{project}/}: the collaborators API of the reference (§2.6). Team collaborators
 * are also addressable as {@code /collaborators/{project}/@{org}/{team}/} (the reference cannot reach them
 * because their name contains a slash).
 */
@RestController
@RequestMapping("/api/v1/collaborators/{project}")
class CollaboratorsController {

    private final Collaborators collaborators;

    CollaboratorsController(Collaborators collaborators) {
        this.collaborators = collaborators;
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, @PathVariable UUID project, HttpServletRequest request) {
        Page page = Page.from(request);
        Projects.Listing listing = collaborators.list(actor, project, page);
        return page.respond(listing.rows(), listing.total());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> add(Actor actor, @PathVariable UUID project, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(collaborators.add(actor, project, body));
    }

    @GetMapping("/{username}")
    Map<String, Object> get(Actor actor, @PathVariable UUID project, @PathVariable String username) {
        return collaborators.get(actor, project, username);
    }

    @PutMapping("/{username}")
    Map<String, Object> replace(Actor actor, @PathVariable UUID project, @PathVariable String username, RequestFields body) {
        return collaborators.update(actor, project, username, body, true);
    }

    @PatchMapping("/{username}")
    Map<String, Object> patch(Actor actor, @PathVariable UUID project, @PathVariable String username, RequestFields body) {
        return collaborators.update(actor, project, username, body, false);
    }

    @DeleteMapping("/{username}")
    ResponseEntity<Void> remove(Actor actor, @PathVariable UUID project, @PathVariable String username) {
        collaborators.remove(actor, project, username);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/@{org}/{team}")
    Map<String, Object> getTeam(Actor actor, @PathVariable UUID project, @PathVariable String org, @PathVariable String team) {
        return collaborators.get(actor, project, teamName(org, team));
    }

    @PatchMapping("/@{org}/{team}")
    Map<String, Object> patchTeam(Actor actor, @PathVariable UUID project, @PathVariable String org, @PathVariable String team,
                                  RequestFields body) {
        return collaborators.update(actor, project, teamName(org, team), body, false);
    }

    @DeleteMapping("/@{org}/{team}")
    ResponseEntity<Void> removeTeam(Actor actor, @PathVariable UUID project, @PathVariable String org, @PathVariable String team) {
        collaborators.remove(actor, project, teamName(org, team));
        return ResponseEntity.noContent().build();
    }

    private static String teamName(String org, String team) {
        return "@" + org + "/" + team;
    }
}
