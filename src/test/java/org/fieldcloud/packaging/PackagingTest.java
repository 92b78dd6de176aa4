package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The package scenarios of reference-api-jobs §7.4 that need no external database, over real HTTP. */
class PackagingTest extends ApiTest {

    private static final String[] DELTA_PROJECT = {"points.geojson", "polygons.geojson", "testdata.gpkg", "nonspatial.csv", "project.qgs"};

    private PackageFlows flows;
    private TestData.User owner;
    private UUID project;

    @BeforeEach
    void ownProject() {
        flows = new PackageFlows(http);
        owner = data.person("pkgowner");
        project = flows.createProject(owner);
    }

    private static List<String> names(JsonNode latest) {
        List<String> names = new ArrayList<>();
        assertThat(latest.has("files")).as(latest.toString()).isTrue();
        latest.get("files").forEach(f -> names.add(f.get("name").asString()));
        return names;
    }

    @Test
    void theDeltaProjectBecomesADataGpkgAndAQfieldProjectThatStartsWithTheQgisDoctype() throws Exception {
        flows.uploadFixtures(owner, project, DELTA_PROJECT);
        String before = java.time.OffsetDateTime.now().toString();
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");
        assertThat(job.get("output").asString()).as(job.toString()).contains("Step 4/4");
        JsonNode latest = flows.latest(owner, project).json();
        assertThat(names(latest)).containsExactlyInAnyOrder("data.gpkg", "project_qfield.qgz");
        assertThat(latest.get("status").asString()).isEqualTo("finished");
        assertThat(latest.get("package_id").asString()).isEqualTo(job.get("id").asString());
        assertThat(java.time.OffsetDateTime.parse(latest.get("packaged_at").asString())).isAfter(java.time.OffsetDateTime.parse(before).minusSeconds(1));
        latest.get("layers").properties().forEach(e -> assertThat(e.getValue().get("is_valid").asBoolean()).as(e.getKey()).isTrue());
        String qgs = PackageFlows.qgsOf(flows.download(owner, project, "project_qfield.qgz"));
        assertThat(qgs).startsWith("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>").contains("name=\"theMapCanvas\"")
                .contains("./data.gpkg|layername=").contains("OfflineDbPath").contains("points_xy_897d5ed7_b810_4624_abe3_9f7c0a93d6a1")
                .contains("remoteLayerId").contains("isOfflineEditable")
                .as("the offline table's own fid is hidden in the form").contains("<field name=\"fid_1\"><editWidget type=\"Hidden\">");
        assertThat(job.get("output").asString()).contains("feature(s) exported into data.gpkg");
        assertSpatialIndexesComplete(flows.download(owner, project, "data.gpkg"));
    }

    /** Every feature table has the GeoPackage R-tree extension, with one entry per feature that has a geometry. */
    private static void assertSpatialIndexesComplete(byte[] gpkg) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("data", ".gpkg");
        try {
            java.nio.file.Files.write(file, gpkg);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); java.sql.Statement s = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (java.sql.ResultSet rs = s.executeQuery("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertThat(tables).as("the 6 spatial layers of the 8").hasSize(6);
                for (String table : tables) {
                    long features = single(s, "SELECT count(*) FROM \"" + table + "\" WHERE geom IS NOT NULL");
                    assertThat(single(s, "SELECT count(*) FROM \"rtree_" + table + "_geom\"")).as(table).isEqualTo(features).isPositive();
                    assertThat(single(s, "SELECT count(*) FROM gpkg_extensions WHERE table_name = '" + table
                            + "' AND extension_name = 'gpkg_rtree_index'")).isEqualTo(1);
                    assertThat(single(s, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '" + table + "'")).isPositive();
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private static long single(java.sql.Statement s, String sql) throws Exception {
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void translationsAndDataDirectoriesTravelWithThePackage() throws Exception {
        flows.uploadFixtures(owner, project, "points.geojson", "polygons.geojson", "testdata.gpkg", "nonspatial.csv");
        flows.upload(owner, project, "data/sub/readme.txt", "for the field".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        flows.upload(owner, project, "project_de.qm", new byte[] {1, 2, 3});
        flows.upload(owner, project, "unrelated.txt", new byte[] {4});
        String qgs = new String(PackageFlows.fixture("project.qgs"), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("<properties>", "<properties><QFieldSync><dataDirs type=\"QStringList\"><value>data</value></dataDirs></QFieldSync>");
        flows.upload(owner, project, "project.qgs", qgs.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(flows.packageAndWait(owner, project).get("status").asString()).isEqualTo("finished");
        assertThat(names(flows.latest(owner, project).json())).containsExactlyInAnyOrder("data.gpkg", "project_qfield.qgz", "project_de.qm",
                "data/sub/readme.txt");
        assertThat(new String(flows.download(owner, project, "data/sub/readme.txt"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("for the field");
    }

    @Test
    void withoutAQgisFileThereIsNoPackageJobAndNoPackage() {
        Http.Response refused = flows.requestPackage(owner, project);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("no_qgis_project");
        Http.Response none = flows.latest(owner, project);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("code").asString()).isEqualTo("invalid_job");
    }

    @Test
    void aBrokenProjectFailsItsPackageAndASecondRequestReturnsTheWaitingJob() throws Exception {
        flows.upload(owner, project, "project.qgs", PackageFlows.fixture("broken.qgs"));
        flows.awaitIdle(owner, project);
        Http.Response first = flows.requestPackage(owner, project);
        Http.Response second = flows.requestPackage(owner, project);
        assertThat(first.status()).isEqualTo(201);
        if (second.status() == 200) {
            assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        }
        JsonNode job = flows.awaitJob(owner, first.json().get("id").asString());
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("output").asString()).contains("not valid XML");
        assertThat(flows.latest(owner, project).status()).as("a failed package is never the latest").isEqualTo(400);
    }

    @Test
    void aLayerWhoseDatabaseCannotBeReachedIsLeftOutAndMarkedInvalid() throws Exception {
        flows.uploadFixtures(owner, project, "points.geojson", "project_broken_datasource.qgs");
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");
        JsonNode latest = flows.latest(owner, project).json();
        assertThat(names(latest)).containsExactlyInAnyOrder("data.gpkg", "project_broken_datasource_qfield.qgz");
        JsonNode broken = latest.get("layers").get("surfacestructure_35131bca_337c_483b_b09e_1cf77b1dfb16");
        assertThat(broken.get("is_valid").asBoolean()).isFalse();
        assertThat(latest.toString()).doesNotContain("Bhooo");
    }

    @Test
    void needsRepackagingFollowsTheDataOfAFileOnlyProject() throws Exception {
        flows.uploadFixtures(owner, project, DELTA_PROJECT);
        flows.awaitIdle(owner, project);
        assertThat(needsRepackaging()).isTrue();
        flows.packageAndWait(owner, project);
        assertThat(needsRepackaging()).isFalse();
        assertThat(http.as(owner).get("/api/v1/projects/" + project + "/").json().get("data_last_packaged_at").isNull()).isFalse();
        flows.uploadFixtures(owner, project, "nonspatial.csv");
        assertThat(needsRepackaging()).isTrue();
    }

    private boolean needsRepackaging() {
        return http.as(owner).get("/api/v1/projects/" + project + "/").json().get("needs_repackaging").asBoolean();
    }

    @Test
    void attachmentsAreListedFromTheProjectFilesAndServedFromThem() throws Exception {
        flows.uploadFixtures(owner, project, "DCIM/1.jpg", "DCIM/2.jpg", "bumblebees.gpkg", "simple_bumblebees.qgs");
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");
        JsonNode latest = flows.latest(owner, project).json();
        assertThat(names(latest)).containsExactlyInAnyOrder("data.gpkg", "simple_bumblebees_qfield.qgz", "DCIM/1.jpg", "DCIM/2.jpg");
        assertThat(flows.download(owner, project, "DCIM/1.jpg")).isEqualTo(PackageFlows.fixture("DCIM/1.jpg"));
        assertThat(job.get("output").asString()).contains("35 feature(s) exported").contains("14 feature(s) exported");
    }

    @Test
    void everyRoleMayPackageAndDownload() throws Exception {
        flows.uploadFixtures(owner, project, DELTA_PROJECT);
        for (String role : List.of("reader", "reporter", "editor", "manager", "admin")) {
            TestData.User member = data.person(role);
            data.collaborator(new TestData.Project(project, "", owner.id()), member, role);
            Http.Response created = flows.requestPackage(member, project);
            assertThat(created.status()).as(role + ": " + created).isIn(200, 201);
        }
        TestData.User stranger = data.person("stranger");
        assertThat(flows.requestPackage(stranger, project).status()).isEqualTo(403);
        assertThat(flows.latest(stranger, project).status()).isEqualTo(403);
    }

    @Test
    void rangesAndEtagsWorkOnPackageFiles() throws Exception {
        flows.uploadFixtures(owner, project, DELTA_PROJECT);
        flows.packageAndWait(owner, project);
        String path = "/api/v1/packages/" + project + "/latest/files/data.gpkg/";
        Http.Response full = http.as(owner).get(path);
        String etag = full.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(http.as(owner).header("If-None-Match", etag).get(path).status()).isEqualTo(304);
        Http.Response part = http.as(owner).header("Range", "bytes=0-15").get(path);
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.text()).isEqualTo("SQLite format 3\0");
        assertThat(http.as(owner).get("/api/v1/packages/" + project + "/latest/files/nothing.txt/").status()).isEqualTo(404);
    }
}
