package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.PostgisDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** DECISIONS D10.7 on the machine's PostGIS and a GeoPackage: a layer's QGIS subset string bounds what its deltas may touch. */
class SubsetApplyTest {

    private static PostgisDatabase db;

    @BeforeAll
    static void database() {
        db = PostgisDatabase.create("fc_subset");
        db.execute("CREATE TABLE zoned (id integer PRIMARY KEY, zone text, note text, geom geometry(Point, 4326));"
                + "INSERT INTO zoned VALUES (1, 'north', 'n1', NULL), (2, 'south', 's2', NULL), (3, 'north', 'n3', NULL), (4, 'south', 's4', NULL),"
                + " (5, 'north', 'n5', NULL)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static LayerOpener north() {
        PgConnectionSpec spec = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                PostgisDatabase.ADMIN_PASSWORD, "prefer");
        return id -> PostgisLayer.open(spec, "public", "zoned", "geom", "id", "\"zone\" = 'north' -- a QGIS filter", null);
    }

    private static List<DeltaFeedback> apply(JsonNode delta) {
        return new DeltaApplier().apply(List.of(delta), Map.of(), true, north(), line -> { });
    }

    private static JsonNode delta(String method, String pk, String json) {
        return Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"localPk\":\"" + pk
                + "\",\"sourcePk\":\"" + pk + "\",\"localLayerId\":\"z\",\"sourceLayerId\":\"z\",\"method\":\"" + method + "\"," + json + "}");
    }

    private static String note(int id) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT note FROM zoned WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void aPatchOutsideTheSubsetIsRefusedAndInsideItIsApplied() throws Exception {
        DeltaFeedback outside = apply(delta("patch", "2", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"note\":\"hijacked\"}}")).get(0);
        assertThat(outside.status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(outside.msg()).contains("subset string");
        assertThat(note(2)).isEqualTo("s2");

        DeltaFeedback inside = apply(delta("patch", "1", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"note\":\"edited\"}}")).get(0);
        assertThat(inside.status()).as(inside.msg()).isEqualTo(DeltaFeedback.APPLIED);
        assertThat(note(1)).isEqualTo("edited");
    }

    @Test
    void aDeleteOutsideTheSubsetIsRefusedAndTheRowStays() throws Exception {
        DeltaFeedback outside = apply(delta("delete", "4", "\"old\":{\"attributes\":{}}")).get(0);
        assertThat(outside.status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(outside.msg()).contains("subset string");
        assertThat(note(4)).isEqualTo("s4");
    }

    @Test
    void aCreateOrPatchWhoseResultFallsOutsideTheSubsetIsRolledBack() throws Exception {
        DeltaFeedback created = apply(delta("create", "", "\"new\":{\"attributes\":{\"id\":100,\"zone\":\"south\",\"note\":\"smuggled\"}}")).get(0);
        assertThat(created.status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(created.msg()).contains("outside the layer's subset string");
        assertThat(note(100)).isNull();

        DeltaFeedback moved = apply(delta("patch", "3", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"zone\":\"south\"}}")).get(0);
        assertThat(moved.status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(note(3)).isEqualTo("n3");

        DeltaFeedback inside = apply(delta("create", "", "\"new\":{\"attributes\":{\"id\":101,\"zone\":\"north\",\"note\":\"fine\"}}")).get(0);
        assertThat(inside.status()).as(inside.msg()).isEqualTo(DeltaFeedback.APPLIED);
        assertThat(note(101)).isEqualTo("fine");
    }

    @Test
    void aGeoPackageLayersSubsetBoundsItsDeltasToo(@TempDir Path dir) throws Exception {
        Path gpkg = dir.resolve("testdata.gpkg");
        try (InputStream in = getClass().getResourceAsStream("/apply/testdata.gpkg")) {
            Files.copy(in, gpkg);
        }
        LayerOpener lowInts = id -> GeoPackageLayer.open(gpkg, "points_xy", "\"int\" <= 2");
        List<DeltaFeedback> f = new DeltaApplier().apply(List.of(
                delta("patch", "3", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"str\":\"hijacked\"}}"),
                delta("patch", "1", "\"old\":{\"attributes\":{}},\"new\":{\"attributes\":{\"str\":\"edited\"}}")), Map.of(), true, lowInts, line -> { });
        assertThat(f).extracting(DeltaFeedback::status).containsExactly(DeltaFeedback.FAILED, DeltaFeedback.APPLIED);
        assertThat(f.get(0).msg()).contains("subset string");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(str, ',') FROM (SELECT str FROM points_xy ORDER BY fid)")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("edited,str2,str3");
        }
    }

    @Test
    void aBatchOfCreatesWithOneOutsideTheSubsetKeepsOnlyTheInsideOnes() throws Exception {
        List<DeltaFeedback> f = new DeltaApplier().apply(List.of(
                delta("create", "", "\"new\":{\"attributes\":{\"id\":200,\"zone\":\"north\",\"note\":\"b-in\"}}"),
                delta("create", "", "\"new\":{\"attributes\":{\"id\":201,\"zone\":\"south\",\"note\":\"b-out\"}}")), Map.of(), true, north(), line -> { });
        assertThat(f).extracting(DeltaFeedback::status).containsExactly(DeltaFeedback.APPLIED, DeltaFeedback.FAILED);
        assertThat(note(200)).isEqualTo("b-in");
        assertThat(note(201)).isNull();
    }
}
