package org.fieldcloud.organizations;

import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/organizations/}: creating, deleting and transferring organizations and changing their plan
 * (DECISIONS.md D3; the reference has no such API). Reading and updating the profile stay on
 * {@code /api/v1/users/{org}/} for wire compatibility.
 */
@RestController
@RequestMapping("/api/v1/organizations")
class OrganizationsController {

    private final Organizations organizations;
    private final Plans plans;

    OrganizationsController(Organizations organizations, Plans plans) {
        this.organizations = organizations;
        this.plans = plans;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, RequestFields body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(organizations.create(actor, body));
    }

    @DeleteMapping("/{org}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable String org, RequestFields body) {
        organizations.delete(actor, org, body);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{org}/transfer")
    Map<String, Object> transfer(Actor actor, @PathVariable String org, RequestFields body) {
        return organizations.transfer(actor, org, body);
    }

    @PutMapping("/{org}/plan")
    Map<String, Object> changePlan(Actor actor, @PathVariable String org, RequestFields body) {
        return plans.changeOrganizationPlan(actor, org, body);
    }
}
