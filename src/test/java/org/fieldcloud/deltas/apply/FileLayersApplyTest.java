package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** CSV and GeoJSON layers with the reference's fixtures; CSV output must be byte-identical to the reference's. */
class FileLayersApplyTest {

    @TempDir
    Path dir;

    private Path copy(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/apply/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private List<DeltaFeedback> apply(String fixture, LayerOpener opener) throws IOException {
        List<JsonNode> deltas = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/apply/" + fixture)) {
            Http.JSON.readTree(in).get("deltas").forEach(deltas::add);
        }
        return new DeltaApplier().apply(deltas, Map.of(), true, opener, line -> { });
    }

    @Test
    void nonspatialCsvIsRewrittenExactlyAsTheReference() throws Exception {
        Path csv = copy("nonspatial.csv");
        List<DeltaFeedback> f = apply("nonspatial.json", id -> CsvLayer.open(csv));
        assertThat(f).as(f.toString()).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED).hasSize(3);
        assertThat(Files.readString(csv)).isEqualTo("fid,col1\n\"1\",qux\n\"2\",newfeature\n");
    }

    @Test
    void anEmptyGeometryStringIsIgnoredOnANonSpatialLayer() throws Exception {
        Path csv = copy("nonspatial.csv");
        List<DeltaFeedback> f = apply("nonspatial_geom_empty_str.json", id -> CsvLayer.open(csv));
        assertThat(f).as(f.toString()).extracting(DeltaFeedback::status).containsOnly(DeltaFeedback.APPLIED);
        assertThat(Files.readString(csv)).isEqualTo("fid,col1\n\"1\",new_value\n");
    }

    @Test
    void geoJsonFeaturesAreCreatedPatchedAndDeletedKeepingTheCollection() throws Exception {
        Path geojson = copy("points.geojson");
        List<DeltaFeedback> f = apply("multilayer_multidelta_create.json", id -> {
            if (id.startsWith("points_c2784")) {
                return GeoJsonLayer.open(geojson);
            }
            throw new LayerException("layer " + id + " is not part of this test");
        });
        assertThat(f).filteredOn(d -> d.layerId().startsWith("points_c2784")).extracting(DeltaFeedback::status)
                .containsOnly(DeltaFeedback.APPLIED).isNotEmpty();
        JsonNode written = Http.JSON.readTree(geojson.toFile());
        assertThat(written.get("type").asString()).isEqualTo("FeatureCollection");
        assertThat(written.get("crs")).isNotNull();
        assertThat(written.get("features").size()).isGreaterThan(3);
        JsonNode last = written.get("features").get(written.get("features").size() - 1);
        assertThat(last.get("geometry").get("type").asString()).isEqualTo("Point");
    }

    @Test
    void csvRecordsWithQuotesCommasAndLineBreaksParse() {
        assertThat(CsvLayer.parse("a,b\n\"x,1\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\n"))
                .containsExactly(List.of("a", "b"), List.of("x,1", "say \"hi\""), List.of("multi\nline", "z"));
    }
}
