package org.fieldcloud.organizations;

import java.util.List;
import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/organizations/{org}/teams/} (reference §2.4; not paginated, as in the reference). */
@RestController
@RequestMapping("/api/v1/organizations/{org}/teams")
class TeamsController {

    private final Teams teams;

    TeamsController(Teams teams) {
        this.teams = teams;
    }

    @GetMapping
    List<Map<String, Object>> list(Actor actor, @PathVariable String org) {
        return teams.list(actor, org);
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, @PathVariable String org, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(teams.create(actor, org, body));
    }

    @GetMapping("/{team}")
    Map<String, Object> get(Actor actor, @PathVariable String org, @PathVariable String team) {
        return teams.get(actor, org, team);
    }

    @PutMapping("/{team}")
    Map<String, Object> rename(Actor actor, @PathVariable String org, @PathVariable String team, RequestFields body) {
        return teams.rename(actor, org, team, body);
    }

    @DeleteMapping("/{team}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable String org, @PathVariable String team) {
        teams.delete(actor, org, team);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{team}/members")
    List<Map<String, Object>> members(Actor actor, @PathVariable String org, @PathVariable String team) {
        return teams.members(actor, org, team);
    }

    @PostMapping("/{team}/members")
    ResponseEntity<Map<String, Object>> addMember(Actor actor, @PathVariable String org, @PathVariable String team, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(teams.addMember(actor, org, team, body));
    }

    @DeleteMapping("/{team}/members/{username}")
    ResponseEntity<Void> removeMember(Actor actor, @PathVariable String org, @PathVariable String team, @PathVariable String username) {
        teams.removeMember(actor, org, team, username);
        return ResponseEntity.noContent().build();
    }
}
