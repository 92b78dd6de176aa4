package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A downloaded package opens in the real QGIS: every offline layer is valid, reads from data.gpkg and has exactly the
 * features QGIS counts in its source (the original project opened by QGIS from the uploaded files); copied layers
 * are valid; layer ids are the original ones.
 */
class PackageOpensInQgisTest extends ApiTest {

    private static final String POINTS_GEOJSON = "points_c2784cf9_c9c3_45f6_9ce5_98a6047e4d6c";

    @TempDir
    Path tmp;

    @Test
    void theDeltaProjectsPackageOpensInQgisWithEveryFeatureOfItsSources() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("qgisowner");
        UUID project = flows.createProject(owner);
        String qgs = withCloudAction(new String(PackageFlows.fixture("project.qgs"), StandardCharsets.UTF_8), POINTS_GEOJSON, "copy");
        for (String name : new String[] {"points.geojson", "polygons.geojson", "testdata.gpkg", "nonspatial.csv"}) {
            flows.upload(owner, project, name, PackageFlows.fixture(name));
            Files.write(Files.createDirectories(tmp.resolve("original")).resolve(name), PackageFlows.fixture(name));
        }
        flows.upload(owner, project, "project.qgs", qgs.getBytes(StandardCharsets.UTF_8));
        Files.writeString(tmp.resolve("original/project.qgs"), qgs);
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");

        QgisCheck.Opened original = QgisCheck.open(tmp.resolve("original/project.qgs"));
        Path downloaded = flows.downloadAll(owner, project, tmp.resolve("package"));
        QgisCheck.Opened packaged = QgisCheck.open(downloaded.resolve("project_qfield.qgz"));

        assertThat(packaged.offlineDbPath()).isEqualTo("./data.gpkg");
        assertThat(packaged.layers().keySet()).containsExactlyInAnyOrderElementsOf(original.layers().keySet());
        int compared = 0;
        for (Map.Entry<String, JsonNode> e : original.layers().entrySet()) {
            JsonNode source = e.getValue();
            JsonNode layer = packaged.layers().get(e.getKey());
            if (!source.get("valid").asBoolean() || source.get("count").asLong() < 0) {
                continue;
            }
            compared++;
            assertThat(layer.get("valid").asBoolean()).as(e.getKey() + " valid in the package: " + layer).isTrue();
            assertThat(layer.get("count").asLong()).as(e.getKey() + " feature count").isEqualTo(source.get("count").asLong());
            assertThat(layer.get("remoteLayerId").asString()).isEqualTo(e.getKey());
            if (e.getKey().equals(POINTS_GEOJSON)) {
                assertThat(layer.get("source").asString()).as("copied layer").contains("points.geojson").doesNotContain("data.gpkg");
            } else {
                assertThat(layer.get("provider").asString()).isEqualTo("ogr");
                assertThat(layer.get("source").asString()).as(e.getKey()).contains("data.gpkg|layername=");
                assertThat(layer.get("isOfflineEditable").asString()).isEqualTo("true");
            }
        }
        assertThat(compared).as("vector layers compared").isEqualTo(8);
        assertThat(downloaded.resolve("points.geojson")).exists();
    }

    @Test
    void aProjectInWebMercatorWithPointsAndPolygonsOpensInQgis() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("qgisowner");
        UUID project = flows.createProject(owner);
        flows.uploadFixtures(owner, project, "bumblebees.gpkg", "simple_bumblebees.qgs");
        assertThat(flows.packageAndWait(owner, project).get("status").asString()).isEqualTo("finished");
        QgisCheck.Opened packaged = QgisCheck.open(flows.downloadAll(owner, project, tmp.resolve("bees")).resolve("simple_bumblebees_qfield.qgz"));
        assertThat(packaged.layers().get("apiary_27954fba_aad8_4336_8b19_23afed462c51").get("count").asLong()).isEqualTo(35);
        JsonNode area = packaged.layers().values().stream().filter(l -> l.get("id").asString().startsWith("ogr_dbname")).findFirst().orElseThrow();
        assertThat(area.get("valid").asBoolean()).isTrue();
        assertThat(area.get("count").asLong()).isEqualTo(14);
    }

    @Test
    void aShapefileWithAFidGoesOfflineOneWithoutIsCopiedReadOnly() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("shpowner");
        UUID project = flows.createProject(owner);
        for (String stem : new String[] {"france_fid", "france_parts_shape"}) {
            for (String ext : new String[] {".shp", ".shx", ".dbf", ".prj"}) {
                flows.uploadFixtures(owner, project, stem + ext);
            }
        }
        flows.uploadFixtures(owner, project, "france_parts_shape.cpg");
        flows.upload(owner, project, "france.qgs", ("""
                <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
                <qgis version="3.22.16-Białowieża" projectname="france">
                  <projectlayers>%s%s</projectlayers>
                </qgis>
                """.formatted(shapefileLayer("france_offline", "france_fid"), shapefileLayer("france_copied", "france_parts_shape")))
                .getBytes(StandardCharsets.UTF_8));
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");
        assertThat(job.get("output").asString()).contains("4 feature(s) exported");
        QgisCheck.Opened packaged = QgisCheck.open(flows.downloadAll(owner, project, tmp.resolve("france")).resolve("france_qfield.qgz"));
        JsonNode offline = packaged.layers().get("france_offline");
        assertThat(offline.get("valid").asBoolean()).isTrue();
        assertThat(offline.get("source").asString()).contains("data.gpkg|layername=");
        assertThat(offline.get("count").asLong()).isEqualTo(4);
        JsonNode copied = packaged.layers().get("france_copied");
        assertThat(copied.get("valid").asBoolean()).isTrue();
        assertThat(copied.get("source").asString()).contains("france_parts_shape.shp");
        assertThat(copied.get("count").asLong()).isEqualTo(4);
        assertThat(copied.get("readOnly").asBoolean()).as("no key to sync edits back by").isTrue();
    }

    private static String shapefileLayer(String id, String stem) {
        return """
                <maplayer type="vector" geometry="Polygon" wkbType="MultiPolygon">
                  <id>%1$s</id>
                  <datasource>./%2$s.shp</datasource>
                  <layername>%1$s</layername>
                  <srs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></srs>
                  <provider encoding="UTF-8">ogr</provider>
                </maplayer>
                """.formatted(id, stem);
    }

    /** The project text with the layer's QFieldSync/cloud_action set (the fixture's layers have an empty Option). */
    static String withCloudAction(String qgs, String layerId, String action) {
        int at = qgs.indexOf("<id>" + layerId + "</id>");
        int props = qgs.indexOf("<customproperties>", at);
        int option = qgs.indexOf("<Option></Option>", props);
        assertThat(option).as("an empty custom property map after layer " + layerId).isPositive().isLessThan(qgs.indexOf("</customproperties>", props));
        return qgs.substring(0, option) + "<Option type=\"Map\"><Option name=\"QFieldSync/cloud_action\" type=\"QString\" value=\"" + action
                + "\"/></Option>" + qgs.substring(option + "<Option></Option>".length());
    }
}
