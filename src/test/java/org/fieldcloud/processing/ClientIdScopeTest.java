package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A patch addresses a feature its device created earlier by (client id, layer, local key). Those keys are looked
 * up in the project's own deltas only: an attacker who copies a victim's client id into a deltafile of their own
 * project must not redirect the victim's later patch onto another feature.
 */
class ClientIdScopeTest extends ApiTest {

    private static PostgisDatabase db;

    @BeforeAll
    static void database() {
        db = PostgisDatabase.create("fc_clientid");
        db.execute("CREATE TABLE victim (id serial PRIMARY KEY, geom geometry(Point, 4326), note text);"
                + "CREATE TABLE attacker (id serial PRIMARY KEY, geom geometry(Point, 4326), note text);"
                + "INSERT INTO victim (geom, note) VALUES ('SRID=4326;POINT(0 0)', 'bystander');");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void aClientIdForgedInAnotherProjectDoesNotRedirectThisProjectsPatch() throws Exception {
        Flows flows = new Flows(http);
        String layer = "points_" + UUID.randomUUID().toString().replace('-', '_');
        TestData.User victim = data.person("victim");
        TestData.User attacker = data.person("attacker");
        UUID victimProject = project(flows, victim, layer, "victim");
        UUID attackerProject = project(flows, attacker, layer, "attacker");
        UUID device = UUID.randomUUID();
        String localPk = UUID.randomUUID().toString();

        JsonNode created = flows.awaitDeltas(victim, victimProject, flows.push(victim, victimProject, layer, device,
                List.of(Flows.create(localPk, "POINT (1 1)", "{\"note\":\"mine\"}")))).get(0);
        String victimsFeature = created.get("last_feedback").get("modified_pk").asString();
        assertThat(victimsFeature).isNotEqualTo("1");
        flows.awaitDeltas(attacker, attackerProject, flows.push(attacker, attackerProject, layer, device,
                List.of(Flows.create(localPk, "POINT (2 2)", "{\"note\":\"decoy\"}"))));

        String patch = "\"localPk\":\"" + localPk + "\",\"sourcePk\":\"" + victimsFeature + "\",\"method\":\"patch\","
                + "\"old\":{\"attributes\":{\"note\":\"mine\"}},\"new\":{\"attributes\":{\"note\":\"edited\"}}";
        JsonNode patched = flows.awaitDeltas(victim, victimProject, flows.push(victim, victimProject, layer, device, List.of(patch))).get(0);

        assertThat(patched.get("last_status").asString()).as(patched.toString()).isEqualTo("applied");
        assertThat(note("victim", victimsFeature)).isEqualTo("edited");
        assertThat(note("victim", "1")).as("the feature the forged key points at").isEqualTo("bystander");
    }

    private UUID project(Flows flows, TestData.User owner, String layer, String table) {
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique(table))).json().get("id").asString());
        flows.upload(owner, project, "points.qgs", Flows.postgisProject(layer, "points", "public", table, "id"));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/", Map.of("type", "pgservice",
                "value", Flows.pgService("points", db.name(), PostgisDatabase.ADMIN_USER, PostgisDatabase.ADMIN_PASSWORD)));
        return project;
    }

    private static String note(String table, String id) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM " + table + " WHERE id = " + Integer.parseInt(id))) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
