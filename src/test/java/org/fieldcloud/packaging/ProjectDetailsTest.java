package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What process_projectfile completes for packaging and the clients (reference-api-jobs §4.2): the extent in WGS 84
 * (here from a project in EPSG:2056), layer fields, and a thumbnail rendered from the project's vector layers that
 * the thumbnail endpoint serves.
 */
class ProjectDetailsTest extends ApiTest {

    /** A point layer in Swiss coordinates, and a canvas from (2600000, 1200000) to (2700000, 1250000). */
    private static final String SWISS_POINTS = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2056"}},"features":[
             {"type":"Feature","properties":{"fid":1,"name":"bern"},"geometry":{"type":"Point","coordinates":[2600000,1200000]}},
             {"type":"Feature","properties":{"fid":2,"name":"zurich"},"geometry":{"type":"Point","coordinates":[2683000,1247000]}}]}
            """;
    private static final String SWISS_PROJECT = """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.34.0-Prizren" projectname="swiss">
              <title>swiss</title>
              <projectCrs><spatialrefsys><authid>EPSG:2056</authid></spatialrefsys></projectCrs>
              <mapcanvas name="theMapCanvas">
                <extent><xmin>2600000</xmin><ymin>1200000</ymin><xmax>2700000</xmax><ymax>1250000</ymax></extent>
                <destinationsrs><spatialrefsys><authid>EPSG:2056</authid></spatialrefsys></destinationsrs>
              </mapcanvas>
              <projectlayers>
                <maplayer type="vector" geometry="Point" wkbType="Point">
                  <id>swiss_points_1</id>
                  <datasource>./swiss.geojson</datasource>
                  <layername>swiss points</layername>
                  <srs><spatialrefsys><authid>EPSG:2056</authid></spatialrefsys></srs>
                  <provider encoding="UTF-8">ogr</provider>
                </maplayer>
              </projectlayers>
              <properties><Gui><CanvasColorRedPart type="int">10</CanvasColorRedPart><CanvasColorGreenPart type="int">20</CanvasColorGreenPart>
                <CanvasColorBluePart type="int">30</CanvasColorBluePart></Gui></properties>
            </qgis>
            """;

    @Test
    void aSwissProjectGetsItsExtentInWgs84ItsFieldsAndAThumbnail() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("swiss");
        UUID project = flows.createProject(owner);
        flows.upload(owner, project, "swiss.geojson", SWISS_POINTS.getBytes(StandardCharsets.UTF_8));
        flows.upload(owner, project, "swiss.qgs", SWISS_PROJECT.getBytes(StandardCharsets.UTF_8));
        JsonNode details = awaitDetails(owner, project);
        // Expected corners from GDAL/PROJ (gdaltransform -s_srs EPSG:2056 -t_srs EPSG:4326); proj4j agrees within metres.
        double[] box = box(details.get("extent").asString());
        assertThat(box[0]).isCloseTo(7.43862, within(1e-3));
        assertThat(box[1]).isCloseTo(46.94356, within(1e-3));
        assertThat(box[2]).isCloseTo(8.76321, within(1e-3));
        assertThat(box[3]).isCloseTo(47.40082, within(1e-3));
        assertThat(details.get("crs").asString()).isEqualTo("EPSG:2056");
        assertThat(details.get("background_color").asString()).isEqualTo("#0a141e");
        JsonNode fields = details.get("layers_by_id").get("swiss_points_1").get("fields");
        assertThat(fields.toString()).contains("\"name\":\"fid\"").contains("\"name\":\"name\"");

        Http.Response thumbnail = http.as(owner).get("/api/v1/files/thumbnails/" + project + "/");
        assertThat(thumbnail.status()).as(thumbnail.toString()).isEqualTo(200);
        assertThat(thumbnail.header("Content-Type")).startsWith("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(100);
        assertThat(image.getRGB(0, 0) & 0xffffff).as("the project's background colour").isEqualTo(0x0a141e);
        assertThat(drawnPixels(image)).as("the two points are drawn").isPositive();
    }

    @Test
    void aProjectWithoutAUsableExtentGetsNoThumbnailButItsJobFinishes() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("noextent");
        UUID project = flows.createProject(owner);
        flows.upload(owner, project, "empty.qgs", SWISS_PROJECT.replace("<xmax>2700000</xmax>", "<xmax>2600000</xmax>")
                .replace("./swiss.geojson", "./missing.geojson").getBytes(StandardCharsets.UTF_8));
        JsonNode details = awaitDetails(owner, project);
        assertThat(details.get("extent").asString()).isEmpty();
        assertThat(http.as(owner).get("/api/v1/files/thumbnails/" + project + "/").status()).isEqualTo(404);
    }

    private static int drawnPixels(BufferedImage image) {
        int n = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                n += (image.getRGB(x, y) & 0xffffff) == 0x0a141e ? 0 : 1;
            }
        }
        return n;
    }

    private JsonNode awaitDetails(TestData.User owner, UUID project) throws InterruptedException {
        new PackageFlows(http).awaitIdle(owner, project);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = http.as(owner).get("/api/v1/jobs/?project_id=" + project).json();
            for (JsonNode job : jobs) {
                JsonNode full = http.as(owner).get("/api/v1/jobs/" + job.get("id").asString() + "/").json();
                JsonNode d = full.path("feedback").path("outputs").path("project_details").path("project_details");
                if (full.get("type").asString().equals("process_projectfile") && !d.isMissingNode()) {
                    return d;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no project details for " + project);
    }

    private static double[] box(String polygon) {
        assertThat(polygon).startsWith("POLYGON((");
        String[] corners = polygon.replace("POLYGON((", "").replace("))", "").split(",\\s*");
        String[] min = corners[0].trim().split(" ");
        String[] max = corners[2].trim().split(" ");
        return new double[] {Double.parseDouble(min[0]), Double.parseDouble(min[1]), Double.parseDouble(max[0]), Double.parseDouble(max[1])};
    }
}
