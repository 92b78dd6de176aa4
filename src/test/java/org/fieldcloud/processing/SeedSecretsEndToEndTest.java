package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000's worked examples end to end through the HTTP API, on the machine's PostGIS: the tiered
 * organization → project → user-assigned pg_service secrets decide which role writes (recorded by the seed's
 * trigger), and QFC_PG_EFFECTIVE_USER makes edits run as the surveyor's own role under row-level security.
 */
class SeedSecretsEndToEndTest extends ApiTest {

    private static final String ORG_PASSWORD = "your_strong_password_for_org";
    private static final String PROJECT_PASSWORD = "your_strong_password_for_project";
    private static final String USER_PASSWORD = "strong_password_for_user_001";
    private static PostgisDatabase db;

    @BeforeAll
    static void database() throws IOException {
        PostgisDatabase.executeOnCluster(resource("/seeds/ninja-roles.sql"));
        db = PostgisDatabase.create("fc_seed");
        db.execute(resource("/seeds/ninja.sql"));
        db.execute(resource("/seeds/proxy.sql"));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void organizationThenProjectThenUserAssignedSecretDecidesTheWritingRole() throws Exception {
        Flows flows = new Flows(http);
        TestData.User owner = data.person("ninjaowner");
        TestData.User surveyor = data.person("surveyor");
        TestData.User colleague = data.person("colleague");
        String org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("ninjaorg"))).json().get("username").asString();
        for (TestData.User member : List.of(surveyor, colleague)) {
            assertThat(http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", member.username(), "role", "member")).status()).isEqualTo(201);
        }
        JsonNode created = http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("ninja"), "owner", org)).json();
        UUID project = UUID.fromString(created.get("id").asString());
        for (TestData.User member : List.of(surveyor, colleague)) {
            assertThat(http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", member.username(), "role", "editor"))
                    .status()).isEqualTo(201);
        }
        String layer = "ninja_point_" + UUID.randomUUID().toString().replace('-', '_');
        flows.upload(owner, project, "ninja.qgs", Flows.postgisProject(layer, "ninja", "ninja", "ninja_point", "id"));

        flows.secret(owner, "/api/v1/organizations/" + org + "/secrets/",
                Map.of("type", "pgservice", "value", Flows.pgService("ninja", db.name(), "ninja_org", ORG_PASSWORD)));
        assertThat(createdBy(flows, surveyor, project, layer)).isEqualTo("ninja_org");

        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "pgservice", "value", Flows.pgService("ninja", db.name(), "ninja_project", PROJECT_PASSWORD)));
        assertThat(createdBy(flows, surveyor, project, layer)).isEqualTo("ninja_project");

        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/", Map.of("type", "pgservice", "assigned_to", surveyor.username(),
                "value", Flows.pgService("ninja", db.name(), "ninja_user", USER_PASSWORD)));
        assertThat(createdBy(flows, colleague, project, layer)).as("another member keeps the project secret").isEqualTo("ninja_project");

        String value = "by-surveyor-" + UUID.randomUUID();
        UUID refused = flows.push(surveyor, project, layer, List.of(Flows.create("POINT (7.44 46.95)", "{\"some_value\":\"" + value + "\"}")));
        JsonNode outcome = flows.awaitDeltas(surveyor, project, refused).get(0);
        assertThat(outcome.get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(outcome.get("last_feedback").get("msg").asString()).contains("permission denied for table ninja_point");
        assertThat(query("SELECT count(*) FROM ninja.ninja_point WHERE some_value = '" + value + "'")).isEqualTo("0");

        String existing = query("SELECT id::text FROM ninja.ninja_point LIMIT 1");
        UUID patch = flows.push(surveyor, project, layer, List.of(Flows.patch(existing, "{}", "{\"some_value\":\"changed by ninja_user\"}")));
        JsonNode patched = flows.awaitDeltas(surveyor, project, patch).get(0);
        assertThat(patched.get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(patched.get("last_feedback").get("msg").asString()).contains("permission denied");

        String jobs = flows.allJobs(owner, project);
        assertThat(jobs).contains("\"status\":\"finished\"").doesNotContain(ORG_PASSWORD).doesNotContain(PROJECT_PASSWORD).doesNotContain(USER_PASSWORD);
        assertThat(http.as(owner).get("/api/v1/deltas/" + project + "/").text()).doesNotContain(USER_PASSWORD).doesNotContain(PROJECT_PASSWORD);
        assertThat(http.as(owner).get("/api/v1/projects/" + project + "/secrets/").text()).doesNotContain(PROJECT_PASSWORD);
    }

    @Test
    void effectiveUserSecretMakesEditsRunAsTheSurveyorsRoleUnderRowLevelSecurity() throws Exception {
        Flows flows = new Flows(http);
        TestData.User owner = data.person("proxyowner");
        TestData.User mielena = data.person("mielena");
        String org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("proxyorg"))).json().get("username").asString();
        http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", mielena.username(), "role", "member"));
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("survey"), "owner", org))
                .json().get("id").asString());
        http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", mielena.username(), "role", "editor"));
        String layer = "obs_" + UUID.randomUUID().toString().replace('-', '_');
        flows.upload(owner, project, "survey.qgs", Flows.postgisProject(layer, "survey", "public", "field_observations", "id"));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "pgservice", "value", Flows.pgService("survey", db.name(), "qfield_admin", "strong_password")));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", "user_mielena", "assigned_to", mielena.username()));

        db.execute("SET ROLE user_jonas; INSERT INTO field_observations (geom, note) VALUES ('SRID=4326;POINT(1 1)', 'jonas e2e'); RESET ROLE;");
        String jonasRow = query("SELECT id FROM field_observations WHERE note = 'jonas e2e'");
        String note = "mielena-" + UUID.randomUUID();
        UUID deltafile = flows.push(mielena, project, layer, List.of(
                Flows.create("POINT (8.5 47.3)", "{\"note\":\"" + note + "\"}"),
                Flows.patch(jonasRow, "{\"note\":\"jonas e2e\"}", "{\"note\":\"overwritten by mielena\"}")));
        JsonNode deltas = flows.awaitDeltas(mielena, project, deltafile);
        assertThat(deltas.get(0).get("status").asString()).as(deltas.toString()).isEqualTo("STATUS_APPLIED");
        assertThat(query("SELECT surveyor_name FROM field_observations WHERE note = '" + note + "'")).isEqualTo("user_mielena");
        assertThat(deltas.get(1).get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(deltas.get(1).get("last_feedback").get("msg").asString()).contains("Unable to find feature");
        assertThat(query("SELECT note FROM field_observations WHERE id = " + jonasRow)).isEqualTo("jonas e2e");
        assertThat(flows.allJobs(owner, project)).doesNotContain("strong_password");
    }

    /** Pushes a create delta and returns the role the seed's trigger recorded for it. */
    private String createdBy(Flows flows, TestData.User user, UUID project, String layer) throws Exception {
        String value = "v-" + UUID.randomUUID();
        UUID deltafile = flows.push(user, project, layer, List.of(Flows.create("POINT (7.44 46.95)", "{\"some_value\":\"" + value + "\"}")));
        JsonNode outcome = flows.awaitDeltas(user, project, deltafile).get(0);
        assertThat(outcome.get("status").asString()).as(outcome.toString()).isEqualTo("STATUS_APPLIED");
        return query("SELECT pg_user FROM ninja.ninja_point WHERE some_value = '" + value + "'");
    }

    private static String query(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SeedSecretsEndToEndTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
