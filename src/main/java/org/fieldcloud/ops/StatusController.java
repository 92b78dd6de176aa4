package org.fieldcloud.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/status/}: database health plus the operator's incident and maintenance messages
 * ({@code FIELDCLOUD_INCIDENT_MESSAGE}, {@code FIELDCLOUD_MAINTENANCE_MESSAGE}, ...).
 */
@RestController
class StatusController {

    private final JdbcClient jdbc;
    private final StatusMessages messages;
    private final java.util.List<StatusDetail> details;

    StatusController(JdbcClient jdbc, StatusMessages messages, java.util.List<StatusDetail> details) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.details = details;
    }

    @GetMapping("/api/v1/status")
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", databaseOk() ? "ok" : "error");
        out.put("storage", "ok");
        out.put("status_page_url", messages.statusPageUrl());
        out.put("incident_message", messages.incidentMessage());
        out.put("incident_timestamp_utc", messages.incidentTimestampUtc());
        out.put("maintenance_message", messages.maintenanceMessage());
        out.put("maintenance_start_timestamp_utc", messages.maintenanceStartTimestampUtc());
        out.put("maintenance_end_timestamp_utc", messages.maintenanceEndTimestampUtc());
        details.forEach(d -> d.addTo(out));
        return out;
    }

    private boolean databaseOk() {
        try {
            return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
