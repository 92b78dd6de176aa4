package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryType;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Packaged data as reference-api-jobs §7.4 describes it: the PostGIS project (project2.qgs, SRID 2056, inline
 * credentials) packages with every layer valid; a PostGIS MULTIPOINT column shown as a Point layer becomes Point
 * features; a Polygon in a MultiPolygon layer is stored as a MultiPolygon; a project with PostGIS layers always
 * needs repackaging.
 */
class PackageGeometryTest extends ApiTest {

    private static PostgisDatabase db;

    @TempDir
    Path tmp;

    @BeforeAll
    static void database() {
        db = PostgisDatabase.create("fc_pkggeom");
        db.execute("""
                CREATE TABLE point (tid serial PRIMARY KEY, name text, geometry geometry(Point, 2056));
                INSERT INTO point (name, geometry) VALUES ('a', 'SRID=2056;POINT(2725505 1121435)'), ('b', 'SRID=2056;POINT(2725506 1121436)');
                CREATE TABLE multi (id serial PRIMARY KEY, geom geometry(MultiPoint, 4326));
                INSERT INTO multi (geom) SELECT ST_Multi(ST_SetSRID(ST_MakePoint(7 + i * 0.01, 46), 4326)) FROM generate_series(1, 12) i;
                """);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private String inline() {
        return "dbname='" + db.name() + "' host=" + PostgisDatabase.HOST + " port=" + PostgisDatabase.PORT + " user='" + PostgisDatabase.ADMIN_USER
                + "' password='" + PostgisDatabase.ADMIN_PASSWORD + "' sslmode=disable";
    }

    @Test
    void thePostgisProjectPackagesWithEveryLayerValidAndAlwaysNeedsRepackaging() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("pgowner");
        UUID project = flows.createProject(owner);
        String qgs = new String(PackageFlows.fixture("project2.qgs"), StandardCharsets.UTF_8)
                .replace("dbname='test_postgis_db_name' host=test_postgis_db port=5432 user='test_postgis_db_user' password='test_postgis_db_password' sslmode=disable", inline());
        flows.uploadFixtures(owner, project, "points.geojson");
        flows.upload(owner, project, "project.qgs", qgs.getBytes(StandardCharsets.UTF_8));
        flows.awaitIdle(owner, project);
        JsonNode job = flows.packageAndWait(owner, project);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("finished");
        JsonNode latest = flows.latest(owner, project).json();
        assertThat(latest.get("files").toString()).contains("\"data.gpkg\"").contains("\"project_qfield.qgz\"");
        latest.get("layers").properties().forEach(e -> assertThat(e.getValue().get("is_valid").asBoolean()).as(e.getKey()).isTrue());
        assertThat(job.get("output").asString()).contains("2 feature(s) exported");
        String inlinePassword = "password='" + PostgisDatabase.ADMIN_PASSWORD + "'";
        assertThat(latest.toString() + job).as("the datasource's inline password stays out of the API and the job").doesNotContain(inlinePassword)
                .contains("password='***'");
        assertThat(http.as(owner).get("/api/v1/projects/" + project + "/").json().get("needs_repackaging").asBoolean())
                .as("PostGIS data may change at any time").isTrue();
    }

    @Test
    void aMultiPointColumnShownAsPointsBecomesPointFeatures() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("multi");
        UUID project = flows.createProject(owner);
        String qgs = PackageRowLevelSecurityTest.postgisProject("multi_as_points", "unused", "multi")
                .replace("service='unused'", inline());
        flows.upload(owner, project, "multi.qgs", qgs.getBytes(StandardCharsets.UTF_8));
        flows.awaitIdle(owner, project);
        assertThat(flows.packageAndWait(owner, project).get("status").asString()).isEqualTo("finished");
        List<GeometryType> types = geometryTypes(flows.download(owner, project, "data.gpkg"));
        assertThat(types).hasSize(12).containsOnly(GeometryType.POINT);
    }

    @Test
    void aPolygonInAMultiPolygonLayerIsStoredAsAMultiPolygon() throws Exception {
        PackageFlows flows = new PackageFlows(http);
        TestData.User owner = data.person("multipoly");
        UUID project = flows.createProject(owner);
        Path gpkg = Files.write(tmp.resolve("multipolygons.gpkg"), PackageFlows.fixture("multipolygons.gpkg"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg);
             PreparedStatement s = c.prepareStatement("INSERT INTO multipolygons (geom) VALUES (?)")) {
            s.setBytes(1, GeoPackageGeometryData.createBuildEnvelopeAndWrite(4326,
                    mil.nga.sf.wkt.GeometryReader.readGeometry("POLYGON((7 46, 8 46, 8 47, 7 47, 7 46))")).toBytes());
            s.executeUpdate();
        }
        flows.upload(owner, project, "multipolygons.gpkg", Files.readAllBytes(gpkg));
        flows.uploadFixtures(owner, project, "multipolygons.qgs");
        flows.awaitIdle(owner, project);
        assertThat(flows.packageAndWait(owner, project).get("status").asString()).isEqualTo("finished");
        assertThat(geometryTypes(flows.download(owner, project, "data.gpkg"))).containsExactly(GeometryType.MULTIPOLYGON);
    }

    /** The geometry type of every feature in the single feature table of a package's data.gpkg. */
    private List<GeometryType> geometryTypes(byte[] dataGpkg) throws Exception {
        Path file = Files.write(tmp.resolve(UUID.randomUUID() + ".gpkg"), dataGpkg);
        List<GeometryType> types = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            String table;
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")) {
                assertThat(rs.next()).isTrue();
                table = rs.getString(1);
                assertThat(rs.next()).as("one feature table").isFalse();
            }
            try (ResultSet rs = s.executeQuery("SELECT geom FROM \"" + table + "\"")) {
                while (rs.next()) {
                    types.add(GeoPackageGeometryData.create(rs.getBytes(1)).getGeometry().getGeometryType());
                }
            }
        }
        return types;
    }
}
