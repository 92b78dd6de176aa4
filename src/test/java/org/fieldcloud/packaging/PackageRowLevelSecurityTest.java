package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000's row-level-security example, end to end over HTTP: the layer's table lets each role see only the rows it
 * wrote ({@code surveyor_name = current_user}); a shared pg_service login is a member of both surveyors' roles, and
 * each surveyor has their own {@code QFC_PG_EFFECTIVE_USER}. Each one's package holds exactly their rows, a person
 * without the secret gets the login's own view in the shared package, and a role the login was never granted
 * fails the job. No password appears anywhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class PackageRowLevelSecurityTest extends ApiTest {

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String LOGIN = "fc_pkg_login_" + SUFFIX;
    /** A quote inside, so its JSON-escaped form differs from the raw one and both are checked. */
    private static final String LOGIN_PASSWORD = "pkg\"pw-" + UUID.randomUUID();
    private static final String ROLE_A = "fc_pkg_a_" + SUFFIX;
    private static final String ROLE_B = "fc_pkg_b_" + SUFFIX;
    private static final String ROLE_UNGRANTED = "fc_pkg_x_" + SUFFIX;
    private static PostgisDatabase db;

    @TempDir
    Path tmp;

    private PackageFlows flows;
    private TestData.User owner;
    private TestData.User surveyorA;
    private TestData.User surveyorB;
    private TestData.User colleague;
    private UUID project;

    @BeforeAll
    static void database() {
        PostgisDatabase.executeOnCluster("CREATE ROLE " + ROLE_A + " NOLOGIN; CREATE ROLE " + ROLE_B + " NOLOGIN; CREATE ROLE " + ROLE_UNGRANTED
                + " NOLOGIN; CREATE ROLE " + LOGIN + " LOGIN PASSWORD '" + LOGIN_PASSWORD + "' IN ROLE " + ROLE_A + ", " + ROLE_B);
        db = PostgisDatabase.create("fc_pkgrls");
        db.execute("""
                CREATE TABLE surveys (id serial PRIMARY KEY, geom geometry(Point, 4326), note text, surveyor_name text DEFAULT current_user);
                INSERT INTO surveys (geom, note, surveyor_name) VALUES
                  ('SRID=4326;POINT(7 46)', 'a1', '%2$s'), ('SRID=4326;POINT(7.1 46)', 'a2', '%2$s'),
                  ('SRID=4326;POINT(8 46)', 'b1', '%3$s'), ('SRID=4326;POINT(8.1 46)', 'b2', '%3$s'), ('SRID=4326;POINT(8.2 46)', 'b3', '%3$s'),
                  ('SRID=4326;POINT(9 46)', 'login1', '%1$s');
                ALTER TABLE surveys ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_rows ON surveys FOR ALL USING (surveyor_name = current_user) WITH CHECK (surveyor_name = current_user);
                GRANT ALL ON surveys TO %1$s, %2$s, %3$s, %4$s;
                """.formatted(LOGIN, ROLE_A, ROLE_B, ROLE_UNGRANTED));
    }

    @AfterAll
    static void drop() {
        db.close();
        PostgisDatabase.executeOnCluster("DROP ROLE " + LOGIN + "; DROP ROLE " + ROLE_A + "; DROP ROLE " + ROLE_B + "; DROP ROLE " + ROLE_UNGRANTED);
    }

    @BeforeEach
    void projectWithSurveyors() {
        flows = new PackageFlows(http);
        owner = data.person("rlsowner");
        surveyorA = data.person("surveyora");
        surveyorB = data.person("surveyorb");
        colleague = data.person("colleague");
        String org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("pkgorg"))).json().get("username").asString();
        project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("pkgrls"), "owner", org))
                .json().get("id").asString());
        for (TestData.User person : List.of(surveyorA, surveyorB, colleague)) {
            assertThat(http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", person.username(), "role", "member")).status()).isEqualTo(201);
            assertThat(http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", person.username(), "role", "reader"))
                    .status()).isEqualTo(201);
        }
        flows.upload(owner, project, "survey.qgs", postgisProject("surveys_layer", "survey", "surveys").getBytes(StandardCharsets.UTF_8));
        secret(Map.of("type", "pgservice", "value", pgService("survey", db.name(), LOGIN, LOGIN_PASSWORD)));
        effectiveUser(surveyorA, ROLE_A);
        effectiveUser(surveyorB, ROLE_B);
    }

    @Test
    void eachSurveyorsPackageHoldsExactlyTheirOwnRows(CapturedOutput log) throws Exception {
        assertThat(packageFor(surveyorA).get("status").asString()).isEqualTo("finished");
        assertThat(packageFor(surveyorB).get("status").asString()).isEqualTo("finished");
        assertThat(packageFor(colleague).get("status").asString()).isEqualTo("finished");
        assertThat(rowsInPackageOf(surveyorA)).containsExactlyInAnyOrder(ROLE_A, ROLE_A);
        assertThat(rowsInPackageOf(surveyorB)).containsExactlyInAnyOrder(ROLE_B, ROLE_B, ROLE_B);
        assertThat(rowsInPackageOf(colleague)).as("no secret of their own: the shared package, the login's view").containsExactly(LOGIN);
        assertThat(flows.latest(owner, project).json().get("package_id").asString()).as("the owner gets the shared package")
                .isEqualTo(flows.latest(colleague, project).json().get("package_id").asString())
                .isNotEqualTo(flows.latest(surveyorA, project).json().get("package_id").asString());
        assertNoPassword(log);
    }

    @Test
    void aRoleTheLoginWasNeverGrantedFailsTheJobAndLeavesThePreviousPackage(CapturedOutput log) throws Exception {
        effectiveUser(owner, ROLE_UNGRANTED);
        JsonNode failed = packageFor(owner);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("output").asString()).contains("Cannot SET ROLE to the role named by QFC_PG_EFFECTIVE_USER")
                .doesNotContain(ROLE_UNGRANTED);
        Http.Response latest = flows.latest(owner, project);
        assertThat(latest.status()).as("a failed package is never served").isEqualTo(400);
        assertNoPassword(log);
    }

    @Test
    void aMissingServiceOrAWrongPasswordNamesTheLayerAndTheCauseWithoutThePassword(CapturedOutput log) throws Exception {
        String wrong = "wrong\"pw-" + UUID.randomUUID();
        flows.upload(owner, project, "survey.qgs", (postgisProject("surveys_layer", "survey", "surveys")
                .replace("</projectlayers>", layer("missing_service_layer", "nosuch", "surveys") + layer("wrong_password_layer", "badpw", "surveys")
                        + "</projectlayers>")).getBytes(StandardCharsets.UTF_8));
        secret(Map.of("type", "pgservice", "value", pgService("badpw", db.name(), LOGIN, wrong)));
        JsonNode job = packageFor(colleague);
        String output = job.get("output").asString();
        assertThat(output).contains("Layer \"missing_service_layer\" cannot be read").contains("Unable to connect to service \"nosuch\"");
        assertThat(output).contains("Layer \"wrong_password_layer\" cannot be read").contains("password authentication failed");
        JsonNode layers = flows.latest(colleague, project).json().get("layers");
        assertThat(layers.get("missing_service_layer").get("is_valid").asBoolean()).isFalse();
        assertThat(layers.get("wrong_password_layer").get("error_summary").asString()).contains("password authentication failed");
        assertThat(layers.get("surveys_layer").get("is_valid").asBoolean()).isTrue();
        String everything = output + job + layers + http.as(owner).get("/api/v1/jobs/?project_id=" + project).text() + log.getAll();
        for (String secret : List.of(wrong, LOGIN_PASSWORD)) {
            assertThat(everything).doesNotContain(secret).doesNotContain(secret.replace("\"", "\\\""));
        }
    }

    private void assertNoPassword(CapturedOutput log) {
        String everything = http.as(owner).get("/api/v1/jobs/?project_id=" + project).text()
                + flows.latest(owner, project).text() + flows.latest(surveyorA, project).text() + log.getAll();
        assertThat(everything).doesNotContain(LOGIN_PASSWORD).doesNotContain(LOGIN_PASSWORD.replace("\"", "\\\""));
    }

    private JsonNode packageFor(TestData.User person) throws InterruptedException {
        flows.awaitIdle(owner, project);
        JsonNode job = flows.packageAndWait(person, project);
        return http.as(owner).get("/api/v1/jobs/" + job.get("id").asString() + "/").json();
    }

    /** The surveyor_name of every row in the person's downloaded data.gpkg. */
    private List<String> rowsInPackageOf(TestData.User person) throws Exception {
        Path gpkg = Files.write(tmp.resolve(person.username() + ".gpkg"), flows.download(person, project, "data.gpkg"));
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg); Statement s = c.createStatement()) {
            String table;
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM gpkg_contents")) {
                assertThat(rs.next()).isTrue();
                table = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT surveyor_name FROM \"" + table + "\"")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private void secret(Map<String, Object> body) {
        Http.Response r = http.as(owner).post("/api/v1/projects/" + project + "/secrets/", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private void effectiveUser(TestData.User person, String role) {
        secret(Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", role, "assigned_to", person.username()));
    }

    static String pgService(String service, String dbName, String user, String password) {
        return "[" + service + "]\nhost=" + PostgisDatabase.HOST + "\nport=" + PostgisDatabase.PORT + "\ndbname=" + dbName + "\nuser=" + user
                + "\npassword=" + password + "\nsslmode=disable\n";
    }

    static String postgisProject(String layerId, String service, String table) {
        return """
                <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
                <qgis version="3.34.0-Prizren" projectname="survey">
                  <title>survey</title>
                  <projectlayers>%s</projectlayers>
                </qgis>
                """.formatted(layer(layerId, service, table));
    }

    static String layer(String layerId, String service, String table) {
        return """
                <maplayer type="vector" geometry="Point" wkbType="Point">
                  <id>%1$s</id>
                  <datasource>service='%2$s' key='id' srid=4326 type=Point checkPrimaryKeyUnicity='1' table="public"."%3$s" (geom)</datasource>
                  <layername>%1$s</layername>
                  <srs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></srs>
                  <provider encoding="">postgres</provider>
                </maplayer>
                """.formatted(layerId, service, table);
    }
}
