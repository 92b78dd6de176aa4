package org.fieldcloud.organizations;

import java.util.List;
import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/plans/} and {@code /api/v1/users/{username}/plan/} (staff assigns a person's plan). */
@RestController
class PlansController {

    private final Plans plans;

    PlansController(Plans plans) {
        this.plans = plans;
    }

    @GetMapping("/api/v1/plans")
    List<Map<String, Object>> list(Actor actor) {
        return plans.list(actor);
    }

    @PostMapping("/api/v1/plans")
    ResponseEntity<Map<String, Object>> create(Actor actor, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(plans.create(actor, body));
    }

    @PutMapping("/api/v1/users/{username}/plan")
    Map<String, Object> changePersonPlan(Actor actor, @PathVariable String username, RequestFields body) {
        return plans.changePersonPlan(actor, username, body);
    }
}
