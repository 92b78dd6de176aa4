package org.fieldcloud.organizations;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.Page;
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

/** {@code /api/v1/members/{org}/}: organization members (reference §2.3), paginated like the reference. */
@RestController
@RequestMapping("/api/v1/members/{org}")
class MembersController {

    private final Members members;

    MembersController(Members members) {
        this.members = members;
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, @PathVariable String org, HttpServletRequest request) {
        Page page = Page.from(request);
        Members.Listing listing = members.list(actor, org, page);
        return page.respond(listing.rows(), listing.total());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> add(Actor actor, @PathVariable String org, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(members.add(actor, org, body));
    }

    @GetMapping("/{username}")
    Map<String, Object> get(Actor actor, @PathVariable String org, @PathVariable String username) {
        return members.get(actor, org, username);
    }

    @RequestMapping(path = "/{username}", method = {RequestMethod.PUT, RequestMethod.PATCH})
    Map<String, Object> update(Actor actor, @PathVariable String org, @PathVariable String username, RequestFields body) {
        return members.update(actor, org, username, body);
    }

    @DeleteMapping("/{username}")
    ResponseEntity<Void> remove(Actor actor, @PathVariable String org, @PathVariable String username) {
        members.remove(actor, org, username);
        return ResponseEntity.noContent().build();
    }
}
