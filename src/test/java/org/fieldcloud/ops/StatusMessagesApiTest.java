package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13 §5: staff set and clear the incident and maintenance messages that {@code GET /api/v1/status/} shows;
 * anyone else is refused and changes nothing; malformed requests get a 4xx {@code {"code","message"}}.
 * The messages are global, so every test removes what it set.
 */
class StatusMessagesApiTest extends ApiTest {

    @AfterEach
    void removeMessages() {
        data.jdbc().sql("DELETE FROM status_messages").update();
    }

    @Test
    void staffSetAnIncidentAndAMaintenanceThatStatusShowsAndClearThem() {
        TestData.User staff = data.staff("statusstaff");
        String incident = "Uploads are slow " + UUID.randomUUID();
        Http.Response set = http.as(staff).post("/api/v1/status/messages/", Map.of("kind", "incident", "message", incident));
        assertThat(set.status()).isEqualTo(201);
        assertThat(set.json().get("incident_message").asString()).isEqualTo(incident);

        Http.Response maintenance = http.as(staff).post("/api/v1/status/messages/", Map.of("kind", "maintenance", "message", "Database upgrade",
                "start_timestamp_utc", "2026-12-24T02:00:00+01:00", "end_timestamp_utc", "2026-12-24T03:30:00Z"));
        assertThat(maintenance.status()).isEqualTo(201);

        JsonNode status = http.get("/api/v1/status/").json();
        assertThat(status.get("incident_message").asString()).isEqualTo(incident);
        assertThat(status.get("incident_timestamp_utc").asString()).endsWith("Z");
        assertThat(status.get("maintenance_message").asString()).isEqualTo("Database upgrade");
        assertThat(status.get("maintenance_start_timestamp_utc").asString()).isEqualTo("2026-12-24T01:00:00Z");
        assertThat(status.get("maintenance_end_timestamp_utc").asString()).isEqualTo("2026-12-24T03:30:00Z");
        assertThat(status.get("database").asString()).isEqualTo("ok");

        assertThat(http.as(staff).delete("/api/v1/status/messages/incident/").status()).isEqualTo(204);
        JsonNode cleared = http.get("/api/v1/status/").json();
        assertThat(cleared.get("incident_message").isNull()).as("incident cleared").isTrue();
        assertThat(cleared.get("incident_timestamp_utc").isNull()).isTrue();
        assertThat(cleared.get("maintenance_message").asString()).as("the maintenance stays").isEqualTo("Database upgrade");
    }

    @Test
    void anonymousAndNonStaffAreRefusedAndChangeNothing() {
        TestData.User staff = data.staff("statusstaff");
        TestData.User person = data.person("statusperson");
        assertThat(http.as(staff).post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "kept")).status()).isEqualTo(201);

        Http.Response anonymous = http.post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "anonymous"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("code").asString()).isEqualTo("not_authenticated");
        Http.Response byPerson = http.as(person).post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "person"));
        assertThat(byPerson.status()).isEqualTo(403);
        assertThat(byPerson.json().get("code").asString()).isEqualTo("permission_denied");
        assertThat(http.as(person).delete("/api/v1/status/messages/incident/").status()).isEqualTo(403);
        assertThat(http.delete("/api/v1/status/messages/incident/").status()).isEqualTo(401);

        assertThat(http.get("/api/v1/status/").json().get("incident_message").asString()).isEqualTo("kept");
    }

    @Test
    void malformedRequestsAreRefusedWithCodeAndMessage() {
        TestData.User staff = data.staff("statusstaff");
        Http as = http.as(staff);
        expect(as.post("/api/v1/status/messages/", Map.of("message", "no kind")), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "outage", "message", "x")), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "   ")), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "incident", "message", 42)), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "x".repeat(2001))), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "incident", "message", "x", "timestamp_utc", "yesterday")), 400, "api_error");
        expect(as.post("/api/v1/status/messages/", Map.of("kind", "maintenance", "message", "x",
                "start_timestamp_utc", "2026-12-24T03:00:00Z", "end_timestamp_utc", "2026-12-24T02:00:00Z")), 400, "validation_error");
        expect(as.raw("POST", "/api/v1/status/messages/", "application/json", "{\"kind\":"), 400, "api_error");
        expect(as.delete("/api/v1/status/messages/outage/"), 404, "object_not_found");
        assertThat(data.jdbc().sql("SELECT count(*) FROM status_messages").query(Long.class).single()).as("nothing stored").isZero();
    }

    private static void expect(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("code").asString()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("message").asString()).isNotBlank();
    }
}
