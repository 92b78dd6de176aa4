package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.PostgisDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The batched path of the engine on PostGIS (creates sent as one multi-row insert, patch and delete targets read
 * ahead, updates and deletes queued): every delta still gets the outcome it would get applied alone.
 */
class BatchedApplyTest {

    private PostgisDatabase db;

    @BeforeEach
    void database() {
        db = PostgisDatabase.create("fc_batched");
        db.execute("CREATE TABLE pts (id serial PRIMARY KEY, label text, n integer, geom geometry(Point, 4326));"
                + "INSERT INTO pts (label, n, geom) SELECT 'f' || i, i, ST_Point(i, i, 4326) FROM generate_series(1, 20) i;");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private List<DeltaFeedback> apply(boolean overwrite, List<JsonNode> deltas) {
        PgConnectionSpec spec = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                PostgisDatabase.ADMIN_PASSWORD, "disable");
        return new DeltaApplier().apply(deltas, Map.of(), overwrite, id -> PostgisLayer.open(spec, "public", "pts", "geom", "id", null), line -> { });
    }

    private static JsonNode delta(String method, String client, String localPk, String sourcePk, String body) {
        return Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + client + "\",\"localPk\":\"" + localPk
                + "\",\"sourcePk\":\"" + sourcePk + "\",\"localLayerId\":\"pts\",\"sourceLayerId\":\"pts\",\"method\":\"" + method + "\"," + body + "}");
    }

    private static JsonNode patch(String pk, String oldLabel, String newLabel) {
        return delta("patch", "device", pk, pk, "\"old\":{\"attributes\":{\"label\":\"" + oldLabel + "\"}},\"new\":{\"attributes\":{\"label\":\""
                + newLabel + "\"}}");
    }

    private String query(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : ",").append(rs.getString(1));
            }
            return out.toString();
        }
    }

    @Test
    void createsOfDifferentShapesGetTheKeysOfTheirOwnRowsAndLaterPatchesFindThem() throws Exception {
        List<JsonNode> deltas = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String attributes = i % 3 == 0 ? "{\"label\":\"c" + i + "\"}" : "{\"label\":\"c" + i + "\",\"n\":" + (100 + i) + "}";
            String geometry = i % 2 == 0 ? "\"geometry\":\"POINT (" + i + " 0)\"," : "";
            deltas.add(delta("create", "dev", "L" + i, "", "\"new\":{" + geometry + "\"attributes\":" + attributes + "}"));
        }
        for (int i = 0; i < 30; i += 5) {
            deltas.add(delta("patch", "dev", "L" + i, "", "\"old\":{\"attributes\":{\"label\":\"c" + i + "\"}},\"new\":{\"attributes\":{\"label\":\"p" + i + "\"}}"));
        }
        List<DeltaFeedback> f = apply(false, deltas);
        assertThat(f).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
        for (int i = 0; i < 30; i++) {
            String expected = (i % 5 == 0 ? "p" : "c") + i + "|" + (i % 3 == 0 ? "" : 100 + i) + "|" + (i % 2 == 0 ? "POINT(" + i + " 0)" : "");
            assertThat(query("SELECT label || '|' || coalesce(n::text, '') || '|' || coalesce(ST_AsText(geom), '') FROM pts WHERE id = "
                    + f.get(i).modifiedPk())).as("create " + i).isEqualTo(expected);
        }
        for (int i = 0; i < 6; i++) {
            assertThat(f.get(30 + i).modifiedPk()).isEqualTo(f.get(i * 5).modifiedPk());
        }
    }

    @Test
    void aSecondPatchOfTheSameFeatureInOneBatchSeesTheFirst() throws Exception {
        // Overwriting conflicts keeps the batch whole, so a stale read would show as a reported conflict.
        List<DeltaFeedback> f = apply(true, List.of(patch("1", "f1", "a"), patch("2", "f2", "b"), patch("1", "a", "c"), patch("01", "c", "d")));
        assertThat(f).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
        assertThat(f).extracting(DeltaFeedback::conflicts).containsOnlyNulls();
        assertThat(query("SELECT label FROM pts WHERE id IN (1, 2) ORDER BY id")).isEqualTo("d,b");
    }

    @Test
    void aPatchOfAFeatureDeletedEarlierInTheBatchFailsAloneAndTheRestApplies() throws Exception {
        List<JsonNode> deltas = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            deltas.add(patch(String.valueOf(i), "f" + i, "x" + i));
        }
        deltas.add(delta("delete", "device", "3", "3", "\"old\":{\"attributes\":{\"label\":\"x3\"}}"));
        deltas.add(patch("3", "x3", "gone"));
        deltas.add(delta("delete", "device", "4", "4", "\"old\":{\"attributes\":{\"label\":\"f4\"}}"));
        deltas.add(delta("delete", "device", "5", "5", "\"old\":{\"attributes\":{\"label\":\"x5\"}}"));
        List<DeltaFeedback> f = apply(false, deltas);
        assertThat(f).extracting(DeltaFeedback::status).containsExactly(
                DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED,
                DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED,
                DeltaFeedback.APPLIED, DeltaFeedback.FAILED, DeltaFeedback.CONFLICT, DeltaFeedback.APPLIED);
        assertThat(f.get(11).msg()).contains("Unable to find feature with id = 3");
        assertThat(query("SELECT id || ':' || label FROM pts WHERE id <= 10 ORDER BY id")).isEqualTo("1:x1,2:x2,4:x4,6:x6,7:x7,8:x8,9:x9,10:x10");
    }

    @Test
    void aWriteThatRowLevelSecurityHidesFailsOnlyItsOwnDelta() throws Exception {
        db.execute("CREATE ROLE fc_batched_editor_" + db.name() + " LOGIN PASSWORD 'editor-pw';"
                + "GRANT ALL ON pts TO fc_batched_editor_" + db.name() + "; GRANT USAGE ON SEQUENCE pts_id_seq TO fc_batched_editor_" + db.name() + ";"
                + "ALTER TABLE pts ENABLE ROW LEVEL SECURITY;"
                + "CREATE POLICY see_all ON pts FOR SELECT USING (true);"
                + "CREATE POLICY write_even ON pts FOR UPDATE USING (n % 2 = 0);"
                + "CREATE POLICY delete_even ON pts FOR DELETE USING (n % 2 = 0);");
        try {
            PgConnectionSpec editor = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), "fc_batched_editor_" + db.name(),
                    "editor-pw", "disable");
            List<JsonNode> deltas = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                deltas.add(patch(String.valueOf(i), "f" + i, "e" + i));
            }
            deltas.add(delta("delete", "device", "10", "10", "\"old\":{\"attributes\":{}}"));
            deltas.add(delta("delete", "device", "11", "11", "\"old\":{\"attributes\":{}}"));
            List<DeltaFeedback> f = new DeltaApplier().apply(deltas, Map.of(), false,
                    id -> PostgisLayer.open(editor, "public", "pts", "geom", "id", null), line -> { });
            assertThat(f).extracting(DeltaFeedback::status).containsExactly(
                    DeltaFeedback.FAILED, DeltaFeedback.APPLIED, DeltaFeedback.FAILED, DeltaFeedback.APPLIED, DeltaFeedback.FAILED,
                    DeltaFeedback.APPLIED, DeltaFeedback.FAILED, DeltaFeedback.APPLIED, DeltaFeedback.APPLIED, DeltaFeedback.FAILED);
            assertThat(f.get(0).msg()).contains("could not be updated");
            assertThat(query("SELECT label FROM pts WHERE id <= 8 ORDER BY id")).isEqualTo("f1,e2,f3,e4,f5,e6,f7,e8");
            assertThat(query("SELECT id FROM pts WHERE id IN (10, 11)")).isEqualTo("11");
        } finally {
            db.execute("DROP OWNED BY fc_batched_editor_" + db.name() + "; DROP ROLE fc_batched_editor_" + db.name() + ";");
        }
    }
}
