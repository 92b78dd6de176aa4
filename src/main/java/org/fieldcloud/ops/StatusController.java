package org.fieldcloud.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/status/}: database health plus the incident and maintenance messages ({@link CurrentStatusMessages}).
 * Staff set a message with {@code POST /api/v1/status/messages/} and clear it with
 * {@code DELETE /api/v1/status/messages/{incident|maintenance}/}; the reference has no such endpoints (its messages
 * come from Django's admin), so these are additions beside {@code status/} that leave its shape unchanged.
 */
@RestController
class StatusController {

    private static final Set<String> KINDS = Set.of("incident", "maintenance");

    private final JdbcClient jdbc;
    private final CurrentStatusMessages messages;
    private final List<StatusDetail> details;

    StatusController(JdbcClient jdbc, CurrentStatusMessages messages, List<StatusDetail> details) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.details = details;
    }

    @GetMapping("/api/v1/status")
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", databaseOk() ? "ok" : "error");
        out.put("storage", "ok");
        out.putAll(messages.fields());
        details.forEach(d -> d.addTo(out));
        return out;
    }

    /**
     * Body {@code {"kind":"incident","message":…,"timestamp_utc":…?}} or
     * {@code {"kind":"maintenance","message":…,"start_timestamp_utc":…?,"end_timestamp_utc":…?}}; answers the new status.
     */
    @PostMapping("/api/v1/status/messages")
    ResponseEntity<Map<String, Object>> set(Actor actor, RequestFields body) {
        long staff = requireStaff(actor);
        String kind = body.choice("kind", KINDS).orElseThrow(() -> ApiException.badRequest("Field 'kind' is required: incident or maintenance."));
        String message = body.requiredNonBlank("message").strip();
        if (kind.equals("incident")) {
            messages.set(kind, message, body.string("timestamp_utc"), java.util.Optional.empty(), staff);
        } else {
            messages.set(kind, message, body.string("start_timestamp_utc"), body.string("end_timestamp_utc"), staff);
        }
        return ResponseEntity.status(201).body(status());
    }

    @DeleteMapping("/api/v1/status/messages/{kind}")
    ResponseEntity<Void> clear(Actor actor, @PathVariable String kind) {
        long staff = requireStaff(actor);
        if (!KINDS.contains(kind)) {
            throw ApiException.notFound("no status message kind '" + kind + "' (incident or maintenance).");
        }
        messages.clear(kind, staff);
        return ResponseEntity.noContent().build();
    }

    private static long requireStaff(Actor actor) {
        if (actor.anonymous()) {
            throw ApiException.notAuthenticated();
        }
        if (!actor.staff()) {
            throw ApiException.permissionDenied("only staff set or clear status messages.");
        }
        return actor.requireUserId();
    }

    private boolean databaseOk() {
        try {
            return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
