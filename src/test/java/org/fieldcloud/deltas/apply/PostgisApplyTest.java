package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.PostgisDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The engine on the machine's PostGIS with the seed 000 examples: trigger-recorded roles and row-level security. */
class PostgisApplyTest {

    private static PostgisDatabase db;
    private final List<String> log = new ArrayList<>();

    @BeforeAll
    static void database() throws IOException {
        PostgisDatabase.executeOnCluster(resource("/seeds/ninja-roles.sql"));
        db = PostgisDatabase.create("fc_apply");
        db.execute(resource("/seeds/ninja.sql"));
        db.execute(resource("/seeds/proxy.sql"));
        db.execute("CREATE TABLE points (id integer PRIMARY KEY, label text, amount numeric, seen date, geom geometry(PointZ, 2056))");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private PgConnectionSpec login(String user, String password) {
        return new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), user, password, "prefer");
    }

    private List<DeltaFeedback> apply(LayerOpener opener, boolean overwrite, JsonNode... deltas) {
        return new DeltaApplier().apply(List.of(deltas), Map.of(), overwrite, opener, log::add);
    }

    private static JsonNode delta(String method, String layer, String sourcePk, String json) {
        return Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"localPk\":\"" + sourcePk
                + "\",\"sourcePk\":\"" + sourcePk + "\",\"localLayerId\":\"" + layer + "\",\"sourceLayerId\":\"" + layer + "\",\"method\":\""
                + method + "\"," + json + "}");
    }

    private LayerOpener ninjaAs(String role, String password) {
        return id -> PostgisLayer.open(login(role, password), "ninja", "ninja_point", "geom", null, null);
    }

    private String query(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void eachLoginRoleIsWhatTheTriggerRecordsAndAReadOnlyRoleGetsAClearDeltaError() throws Exception {
        for (String[] role : new String[][] {{"ninja_org", "your_strong_password_for_org"}, {"ninja_project", "your_strong_password_for_project"}}) {
            String value = "by-" + role[0] + "-" + UUID.randomUUID();
            List<DeltaFeedback> f = apply(ninjaAs(role[0], role[1]), true,
                    delta("create", "ninja", "", "\"new\":{\"geometry\":\"POINT (7.4 46.9)\",\"attributes\":{\"some_value\":\"" + value + "\"}}"));
            assertThat(f.get(0).status()).as(f.get(0).msg()).isEqualTo(DeltaFeedback.APPLIED);
            assertThat(query("SELECT pg_user FROM ninja.ninja_point WHERE some_value = '" + value + "'")).isEqualTo(role[0]);
            assertThat(query("SELECT id::text FROM ninja.ninja_point WHERE some_value = '" + value + "'")).isEqualTo(f.get(0).modifiedPk());
        }
        String existing = query("SELECT id::text FROM ninja.ninja_point LIMIT 1");
        List<DeltaFeedback> readOnly = apply(ninjaAs("ninja_user", "strong_password_for_user_001"), true,
                delta("create", "ninja", "", "\"new\":{\"geometry\":\"POINT (1 1)\",\"attributes\":{\"some_value\":\"nope\"}}"),
                delta("patch", "ninja", existing, "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"some_value\":\"changed\"}}"));
        assertThat(readOnly).extracting(DeltaFeedback::status).containsExactly(DeltaFeedback.FAILED, DeltaFeedback.FAILED);
        assertThat(readOnly.get(0).msg()).contains("permission denied for table ninja_point");
        assertThat(readOnly.get(1).msg()).contains("permission denied for table ninja_point");
        assertThat(query("SELECT count(*) FROM ninja.ninja_point WHERE some_value IN ('nope', 'changed')")).isEqualTo("0");
    }

    @Test
    void effectiveUserWritesUnderRowLevelSecurityAndCannotTouchOthersRows() throws Exception {
        db.execute("SET ROLE user_jonas; INSERT INTO field_observations (geom, note) VALUES ('SRID=4326;POINT(1 1)', 'jonas row'); RESET ROLE;");
        String jonasRow = query("SELECT id FROM field_observations WHERE note = 'jonas row'");
        LayerOpener asMielena = id -> PostgisLayer.open(login("qfield_admin", "strong_password"), "public", "field_observations", "geom", "id", "user_mielena");
        List<DeltaFeedback> f = apply(asMielena, true,
                delta("create", "obs", "", "\"new\":{\"geometry\":\"POINT (8 47)\",\"attributes\":{\"note\":\"mielena row\"}}"),
                delta("patch", "obs", jonasRow, "\"old\":{\"attributes\":{\"note\":\"jonas row\"}},\"new\":{\"attributes\":{\"note\":\"hijacked\"}}"));
        assertThat(f.get(0).status()).as(f.get(0).msg()).isEqualTo(DeltaFeedback.APPLIED);
        assertThat(query("SELECT surveyor_name FROM field_observations WHERE note = 'mielena row'")).isEqualTo("user_mielena");
        assertThat(f.get(1).status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(f.get(1).msg()).contains("Unable to find feature").contains("may not see it");
        assertThat(query("SELECT note FROM field_observations WHERE id = " + jonasRow)).isEqualTo("jonas row");

        List<DeltaFeedback> forged = apply(asMielena, true,
                delta("create", "obs", "", "\"new\":{\"attributes\":{\"note\":\"forged\",\"surveyor_name\":\"user_jonas\"}}"));
        assertThat(forged.get(0).status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(forged.get(0).msg()).contains("row-level security");
    }

    @Test
    void anUngrantedEffectiveRoleOrASuperuserLoginFailsTheJobBeforeAnyWrite() {
        assertThatThrownBy(() -> PostgisLayer.open(login("qfield_admin", "strong_password"), "public", "field_observations", "geom", "id", "ninja_user"))
                .isInstanceOf(JobMustFailException.class).hasMessageContaining("Cannot SET ROLE to the role named by QFC_PG_EFFECTIVE_USER")
                .hasMessageNotContaining("ninja_user").hasMessageNotContaining("strong_password");
        assertThatThrownBy(() -> PostgisLayer.open(login(PostgisDatabase.ADMIN_USER, PostgisDatabase.ADMIN_PASSWORD), "public", "field_observations",
                "geom", "id", "user_mielena"))
                .isInstanceOf(JobMustFailException.class).hasMessageContaining("superuser").hasMessageNotContaining("user_mielena");
        assertThatThrownBy(() -> PostgisLayer.open(login("qfield_admin", "wrong"), "public", "field_observations", "geom", "id", null))
                .isInstanceOf(LayerException.class).hasMessageContaining("password authentication failed").hasMessageNotContaining("wrong");
    }

    @Test
    void patchAndDeleteDetectConflictsOnAttributesAndTypedValues() throws Exception {
        db.execute("INSERT INTO points VALUES (1, 'one', 1.0, '2024-03-23', 'SRID=2056;POINT Z (1 1 1)'), (2, 'two', 2, NULL, NULL)");
        LayerOpener opener = id -> PostgisLayer.open(login(PostgisDatabase.ADMIN_USER, PostgisDatabase.ADMIN_PASSWORD), "public", "points", "geom", null, null);
        List<DeltaFeedback> blocked = apply(opener, false,
                delta("patch", "pts", "1", "\"old\":{\"attributes\":{\"label\":\"uno\"}},\"new\":{\"attributes\":{\"label\":\"eins\"}}"),
                delta("patch", "pts", "1", "\"old\":{\"attributes\":{\"amount\":1,\"seen\":\"2024-03-23\",\"label\":\"one\"}},"
                        + "\"new\":{\"attributes\":{\"label\":\"eins\"},\"geometry\":\"POINT (5 6)\"}"),
                delta("delete", "pts", "2", "\"old\":{\"attributes\":{\"label\":\"zwei\"}}"));
        assertThat(blocked).extracting(DeltaFeedback::status)
                .containsExactly(DeltaFeedback.CONFLICT, DeltaFeedback.APPLIED, DeltaFeedback.CONFLICT);
        assertThat(blocked.get(0).conflicts()).containsExactly("The attribute \"label\" that has a conflict:\n-one\n+uno");
        assertThat(query("SELECT label || ' ' || ST_AsText(geom) FROM points WHERE id = 1")).isEqualTo("eins POINT Z (5 6 0)");
        List<DeltaFeedback> overwritten = apply(opener, true, delta("delete", "pts", "2", "\"old\":{\"attributes\":{\"label\":\"zwei\"}}"));
        assertThat(overwritten.get(0).status()).isEqualTo(DeltaFeedback.APPLIED);
        assertThat(query("SELECT count(*) FROM points WHERE id = 2")).isEqualTo("0");
        List<DeltaFeedback> unknown = apply(opener, true,
                delta("patch", "pts", "1", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"colour\":\"red\"}}"),
                delta("patch", "pts", "99", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"label\":\"x\"}}"),
                delta("create", "pts", "", "\"new\":{\"geometry\":\"POINT (1\",\"attributes\":{\"id\":5}}"));
        assertThat(unknown).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.FAILED);
        assertThat(unknown.get(0).msg()).contains("Unable to change attribute \"colour\"");
        assertThat(unknown.get(2).msg()).startsWith("Null geometry from wkt=POINT (1");
    }

    @Test
    void aPatchInTheSameDeltafileFindsTheFeatureItsDeviceJustCreated() throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS staged (id serial PRIMARY KEY, label text, geom geometry(Point, 4326))");
        LayerOpener opener = id -> PostgisLayer.open(login(PostgisDatabase.ADMIN_USER, PostgisDatabase.ADMIN_PASSWORD), "public", "staged", "geom", null, null);
        String client = UUID.randomUUID().toString();
        JsonNode create = Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + client + "\",\"localPk\":\"1000\","
                + "\"sourcePk\":\"\",\"localLayerId\":\"st\",\"sourceLayerId\":\"st\",\"method\":\"create\","
                + "\"new\":{\"geometry\":\"POINT (1 2)\",\"attributes\":{\"label\":\"new\"}}}");
        JsonNode patch = Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + client + "\",\"localPk\":\"1000\","
                + "\"sourcePk\":\"0\",\"localLayerId\":\"st\",\"sourceLayerId\":\"st\",\"method\":\"patch\","
                + "\"old\":{\"attributes\":{\"label\":\"new\"}},\"new\":{\"attributes\":{\"label\":\"patched\"}}}");
        List<DeltaFeedback> f = apply(opener, false, create, patch);
        assertThat(f).extracting(DeltaFeedback::status).containsExactly(DeltaFeedback.APPLIED, DeltaFeedback.APPLIED);
        assertThat(f.get(0).modifiedPk()).isNotNull().isEqualTo(f.get(1).modifiedPk());
        assertThat(query("SELECT label FROM staged WHERE id = " + f.get(0).modifiedPk())).isEqualTo("patched");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PostgisApplyTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
