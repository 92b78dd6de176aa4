package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.wkt.GeometryWriter;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The reference's delta scenarios (reference-api-jobs §7.2) on a copy of its testdata.gpkg. */
class GeoPackageApplyTest {

    @TempDir
    Path dir;
    private Path gpkg;
    private final Map<String, String> clientPks = new HashMap<>();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void copyFixture() throws IOException {
        gpkg = dir.resolve("testdata.gpkg");
        try (InputStream in = getClass().getResourceAsStream("/apply/testdata.gpkg")) {
            Files.copy(in, gpkg, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private LayerOpener opener() {
        return layerId -> {
            for (String table : List.of("points_xyzm", "points_xyz", "points_xy", "special_data_types", "polygons")) {
                if (layerId.startsWith(table + "_")) {
                    return GeoPackageLayer.open(gpkg, table);
                }
            }
            throw new LayerException("No layer with id \"" + layerId + "\"");
        };
    }

    /** Applies a fixture deltafile; creates are remembered in clientPks as the server would. */
    private List<DeltaFeedback> apply(String fixture, boolean overwrite) throws IOException {
        List<JsonNode> deltas = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/apply/" + fixture)) {
            Http.JSON.readTree(in).get("deltas").forEach(deltas::add);
        }
        List<DeltaFeedback> feedback = new DeltaApplier().apply(deltas, clientPks, overwrite, opener(), log::add);
        for (int i = 0; i < deltas.size(); i++) {
            JsonNode d = deltas.get(i);
            if (feedback.get(i).modifiedPk() != null) {
                clientPks.put(d.get("clientId").asString() + "__" + d.get("localLayerId").asString() + "__" + d.get("localPk").asString(),
                        feedback.get(i).modifiedPk());
            }
        }
        return feedback;
    }

    private String value(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) return null;
            Object v = rs.getObject(1);
            return v instanceof byte[] b ? GeometryWriter.writeGeometry(GeoPackageGeometryData.create(b).getGeometry()) : String.valueOf(v);
        }
    }

    @Test
    void singleDeltaPatchesAnAttribute() throws Exception {
        List<DeltaFeedback> f = apply("singlelayer_singledelta2.json", true);
        assertThat(f).extracting(DeltaFeedback::status).containsExactly(DeltaFeedback.APPLIED);
        assertThat(value("SELECT int FROM points_xy WHERE fid = 1")).isEqualTo("666");
    }

    @Test
    void emptySourceLayerIdFallsBackToTheLocalLayer() throws Exception {
        assertThat(apply("singlelayer_singledelta_empty_source_layer_id.json", true)).extracting(DeltaFeedback::status)
                .containsExactly(DeltaFeedback.APPLIED);
        assertThat(value("SELECT int FROM points_xy WHERE fid = 1")).isEqualTo("666");
    }

    @Test
    void unknownLayerIsNotApplied() throws Exception {
        List<DeltaFeedback> f = apply("with_errors.json", true);
        assertThat(f.get(0).status()).isEqualTo(DeltaFeedback.FAILED);
        assertThat(f.get(0).deltaStatus()).isEqualTo("not_applied");
        assertThat(f.get(0).msg()).contains("No layer with id");
    }

    @Test
    void conflictsAreOverwrittenOrReportedAsTheProjectSays() throws Exception {
        assertThat(apply("singlelayer_singledelta_conflict.json", true).get(0).status()).isEqualTo(DeltaFeedback.APPLIED);
        copyFixture();
        DeltaFeedback blocked = apply("singlelayer_singledelta_conflict2.json", false).get(0);
        assertThat(blocked.status()).isEqualTo(DeltaFeedback.CONFLICT);
        assertThat(blocked.conflicts()).isNotEmpty();
        assertThat(blocked.conflicts().get(0)).startsWith("The attribute \"int\" that has a conflict:");
        assertThat(value("SELECT int FROM points_xy WHERE fid = 1")).isEqualTo("1");
    }

    @Test
    void multiDeltaChangesGeometryAttributesOrBoth() throws Exception {
        assertThat(apply("singlelayer_multidelta.json", true)).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED).hasSize(3);
    }

    /** Reference-api-jobs §7: stored as given (a 2D WKT in a Z layer stays 2D), {@code nan} stored as 0; patched and created alike. */
    @Test
    void geometriesAreStoredWithTheGivenOrdinatesAndNanAsZero() throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("singlelayer_multidelta_delta_with_xy_for_xyz_layer.json", List.of("POINT (666.0 0.0)", "POINT (777.0 0.0)"));
        expected.put("singlelayer_multidelta_delta_with_xyz_for_xyz_layer.json", List.of("POINT Z (666.0 0.0 0.0)", "POINT Z (777.0 0.0 0.0)"));
        expected.put("singlelayer_multidelta_delta_with_xyz_nan_for_xyz_layer.json", List.of("POINT Z (666.0 0.0 0.0)", "POINT Z (777.0 0.0 0.0)"));
        expected.put("singlelayer_multidelta_delta_with_xyzm_for_xyzm_layer.json", List.of("POINT ZM (666.0 0.0 0.0 0.0)", "POINT ZM (777.0 0.0 0.0 0.0)"));
        expected.put("singlelayer_multidelta_delta_with_xyzm_nan_for_xyzm_layer.json", List.of("POINT ZM (666.0 0.0 0.0 0.0)", "POINT ZM (777.0 0.0 0.0 0.0)"));
        for (var fixture : expected.entrySet()) {
            List<DeltaFeedback> f = apply(fixture.getKey(), true);
            assertThat(f).as(fixture.getKey() + " " + f).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
            String table = fixture.getKey().endsWith("xyzm_layer.json") ? "points_xyzm" : "points_xyz";
            assertThat(List.of(value("SELECT geom FROM " + table + " WHERE fid = 1"),
                    value("SELECT geom FROM " + table + " WHERE fid = " + Long.parseLong(f.get(1).modifiedPk()))))
                    .as(fixture.getKey() + ": patched feature 1, created feature").isEqualTo(fixture.getValue());
        }
    }

    @Test
    void multistageEditsFindDeviceCreatedFeaturesThroughClientPks() throws Exception {
        String[] stages = {"multistage_p1_c1_create.json", "multistage_p2_c2_create.json", "multistage_p3_c1_patch.json",
                "multistage_p4_c2_patch.json", "multistage_p5_c1_delete.json", "multistage_p6_c2_delete.json"};
        String[] counts = {"4", "5", "5", "5", "4", "3"};
        for (int i = 0; i < stages.length; i++) {
            List<DeltaFeedback> f = apply(stages[i], true);
            assertThat(f).as(stages[i] + " " + f).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
            assertThat(value("SELECT count(*) FROM points_xy")).as(stages[i]).isEqualTo(counts[i]);
            if (i == 3) {
                assertThat(value("SELECT int FROM points_xy WHERE fid = 1000")).isEqualTo("1001");
                assertThat(value("SELECT int FROM points_xy WHERE fid = 2000")).isEqualTo("2002");
            }
        }
    }

    @Test
    void sameLocalKeysInTwoLayersStayApart() throws Exception {
        String pointBefore = value("SELECT geom FROM points_xy WHERE fid = 2");
        assertThat(apply("multilayer_multidelta.json", true)).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
        assertThat(value("SELECT geom FROM polygons WHERE fid = 1")).as("the polygon layer got the polygon")
                .isEqualTo("POLYGON ((666.0 666.0, 5.0 2.0, 5.0 5.0, 2.0 5.0, 666.0 666.0))");
        assertThat(value("SELECT geom FROM points_xy WHERE fid = 2")).as("the point with the same local key kept its geometry").isEqualTo(pointBefore);
    }

    @Test
    void specialDataTypesCompareEqual() throws Exception {
        List<DeltaFeedback> f = apply("special_data_types.json", false);
        assertThat(f).as(f.toString()).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
    }
}
