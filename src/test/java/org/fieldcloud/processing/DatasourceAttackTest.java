package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.fieldcloud.ops.DatabaseConfig;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.FakePostgresServer;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The confirmed attacks of the security review, end to end through the API and the job workers (DECISIONS D10.1,
 * D10.2, D10.7): layers aimed at FieldCloud's own database, PG* secrets split over levels to send one level's
 * password to another level's host, and a failed SET ROLE.
 */
class DatasourceAttackTest extends ApiTest {

    private static PostgisDatabase db;

    @Autowired
    DatabaseConfig.EmbeddedDatabase metadata;

    @BeforeAll
    static void database() {
        db = PostgisDatabase.create("fc_attack");
        db.execute("CREATE TABLE places (id serial PRIMARY KEY, name text, geom geometry(Point, 4326))");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private record World(TestData.User owner, TestData.User surveyor, TestData.Org org, UUID project, String layer, String layerName) { }

    /** An organization project with one PostGIS layer whose datasource starts with {@code connection}, and a surveyor. */
    private World world(String connection, String schema, String table) {
        TestData.User owner = data.person("dsowner");
        TestData.Org org = data.organization(owner);
        TestData.User surveyor = data.person("dssurveyor");
        data.member(org, surveyor, "member");
        UUID project = data.project(org).id();
        data.collaborator(new TestData.Project(project, "", org.id()), surveyor, "editor");
        String layer = "lyr_" + UUID.randomUUID().toString().replace('-', '_');
        new Flows(http).upload(owner, project, "p.qgs", Flows.postgisProject(layer, "unused", schema, table, "id")
                .replace("service='unused' ", connection));
        return new World(owner, surveyor, org, project, layer, table);
    }

    private World world(String connection) {
        return world(connection, "public", "places");
    }

    private void projectSecret(World w, Map<String, Object> body) {
        new Flows(http).secret(w.owner(), "/api/v1/projects/" + w.project() + "/secrets/", body);
    }

    private void orgSecret(World w, Map<String, Object> body) {
        new Flows(http).secret(w.owner(), "/api/v1/organizations/" + w.org().username() + "/secrets/", body);
    }

    private static Map<String, Object> env(String name, Object value) {
        return Map.of("type", "envvar", "name", name, "value", String.valueOf(value));
    }

    private static Map<String, Object> envFor(String name, Object value, TestData.User user) {
        return Map.of("type", "envvar", "name", name, "value", String.valueOf(value), "assigned_to", user.username());
    }

    /** The surveyor pushes one create; returns its outcome once applied or not. */
    private JsonNode pushCreate(World w, String name) throws InterruptedException {
        Flows flows = new Flows(http);
        UUID deltafile = flows.push(w.surveyor(), w.project(), w.layer(), List.of(Flows.create("POINT (7.4 46.9)", "{\"name\":\"" + name + "\"}")));
        return flows.awaitDeltas(w.surveyor(), w.project(), deltafile).get(0);
    }

    private long authTokens() {
        return data.jdbc().sql("SELECT count(*) FROM auth_tokens").query(Long.class).single();
    }

    @Test
    void aLayerAimedAtTheEmbeddedMetadataDatabaseIsRefusedAndWritesNothingThere() throws Exception {
        for (String host : List.of("127.0.0.1", "localhost")) {
            World w = world("host=" + host + " port=" + metadata.port() + " dbname='postgres' user='postgres' ", "public", "auth_tokens");
            long before = authTokens();
            JsonNode outcome = pushCreate(w, "x");
            assertThat(outcome.get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
            String msg = outcome.get("last_feedback").get("msg").asString();
            assertThat(msg).contains("Layer \"auth_tokens\"").contains("its datasource").contains("FieldCloud's own database")
                    .doesNotContain(String.valueOf(metadata.port()));
            assertThat(authTokens()).isEqualTo(before);
        }
    }

    @Test
    void theEmbeddedMetadataDatabaseRefusesAPasswordlessLogin() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + metadata.port() + "/postgres", p).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
    }

    @Test
    void theMetadataDatabaseThroughAServiceSecretOrPgSecretsIsRefusedToo() throws Exception {
        World service = world("service='meta' ");
        projectSecret(service, Map.of("type", "pgservice", "value",
                "[meta]\nhost=localhost\nport=" + metadata.port() + "\ndbname=postgres\nuser=postgres\npassword=guessed-pw-1\n"));
        String viaService = pushCreate(service, "s").get("last_feedback").get("msg").asString();
        assertThat(viaService).contains("the service 'meta' secret").contains("FieldCloud's own database").doesNotContain("guessed-pw-1");

        World pg = world("");
        for (var e : Map.of("PGHOST", "127.0.0.1", "PGPORT", metadata.port(), "PGDATABASE", "postgres", "PGUSER", "postgres",
                "PGPASSWORD", "guessed-pw-2").entrySet()) {
            projectSecret(pg, env(e.getKey(), e.getValue()));
        }
        String viaPg = pushCreate(pg, "p").get("last_feedback").get("msg").asString();
        assertThat(viaPg).contains("the PG* secrets").contains("FieldCloud's own database").doesNotContain("guessed-pw-2");
    }

    @Test
    void aLinkLocalHostIsRefusedWithoutConnecting() throws Exception {
        World w = world("host=169.254.169.254 port=80 dbname='latest' user='meta' ");
        Instant start = Instant.now();
        JsonNode outcome = pushCreate(w, "l");
        assertThat(outcome.get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(outcome.get("last_feedback").get("msg").asString()).contains("link-local or cloud-metadata address")
                .doesNotContain("169.254.169.254");
        assertThat(java.time.Duration.between(start, Instant.now())).as("no 10 s connect timeout was waited for").isLessThan(java.time.Duration.ofSeconds(9));
    }

    /** How PG* secrets are split: who sets the destination, who sets the credentials. */
    private enum Split { ORGANIZATION_CREDENTIALS_PROJECT_HOST, ASSIGNED_ORG_CREDENTIALS_ORG_HOST, ASSIGNED_PROJECT_CREDENTIALS_PROJECT_HOST }

    @Test
    void pgSecretsSplitOverLevelsNeverSendAPasswordAnywhere() throws Exception {
        try (FakePostgresServer attacker = new FakePostgresServer()) {
            for (Split split : Split.values()) {
                World w = world("");
                String password = "org-password-" + UUID.randomUUID();
                Map<String, Object> destination = Map.of("PGHOST", FakePostgresServer.HOST, "PGPORT", attacker.port(), "PGDATABASE", "loot");
                switch (split) {
                    case ORGANIZATION_CREDENTIALS_PROJECT_HOST -> {
                        orgSecret(w, env("PGUSER", "org_login"));
                        orgSecret(w, env("PGPASSWORD", password));
                        destination.forEach((k, v) -> projectSecret(w, env(k, v)));
                    }
                    case ASSIGNED_ORG_CREDENTIALS_ORG_HOST -> {
                        orgSecret(w, envFor("PGUSER", "org_login", w.surveyor()));
                        orgSecret(w, envFor("PGPASSWORD", password, w.surveyor()));
                        destination.forEach((k, v) -> orgSecret(w, env(k, v)));
                    }
                    case ASSIGNED_PROJECT_CREDENTIALS_PROJECT_HOST -> {
                        projectSecret(w, envFor("PGUSER", "org_login", w.surveyor()));
                        projectSecret(w, envFor("PGPASSWORD", password, w.surveyor()));
                        destination.forEach((k, v) -> projectSecret(w, env(k, v)));
                    }
                }
                JsonNode outcome = pushCreate(w, "split");
                assertThat(outcome.get("status").asString()).as(split.name()).isEqualTo("STATUS_NOT_APPLIED");
                assertThat(outcome.get("last_feedback").get("msg").asString()).as(split.name()).contains("different levels")
                        .contains("PGPASSWORD, PGUSER from the").doesNotContain(password).doesNotContain(String.valueOf(attacker.port()));
                String jobs = new Flows(http).allJobs(w.owner(), w.project());
                assertThat(jobs).as(split.name()).contains("different levels").doesNotContain(password);
                // The uploader's process_projectfile job may connect with the destination level alone (no user, no
                // password): what must never arrive is the other level's credentials.
                assertThat(attacker.connections()).as(split.name() + ": no credentials reach the attacker's listener")
                        .noneMatch(c -> c.contains(password) || c.contains("org_login"));
            }

            World oneLevel = world("");
            String ownPassword = "project-own-" + UUID.randomUUID();
            for (var e : Map.of("PGHOST", FakePostgresServer.HOST, "PGPORT", attacker.port(), "PGDATABASE", "own", "PGUSER", "own_login",
                    "PGPASSWORD", ownPassword).entrySet()) {
                projectSecret(oneLevel, env(e.getKey(), e.getValue()));
            }
            pushCreate(oneLevel, "control");
            assertThat(attacker.connections()).as("control: the listener does record what a client sends at one level's own host")
                    .anyMatch(c -> c.contains(ownPassword));
        }
    }

    @Test
    void pgSecretsAllAtOneLevelStillWorkAgainstTheRealDatabase() throws Exception {
        World w = world("");
        for (var e : Map.of("PGHOST", PostgisDatabase.HOST, "PGPORT", PostgisDatabase.PORT, "PGDATABASE", db.name(),
                "PGUSER", PostgisDatabase.ADMIN_USER, "PGPASSWORD", PostgisDatabase.ADMIN_PASSWORD, "PGSSLMODE", "prefer").entrySet()) {
            orgSecret(w, env(e.getKey(), e.getValue()));
        }
        String name = "one-level-" + UUID.randomUUID();
        JsonNode outcome = pushCreate(w, name);
        assertThat(outcome.get("status").asString()).as(outcome.toString()).isEqualTo("STATUS_APPLIED");
        try (var c = db.connection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM places WHERE name = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aFailedSetRoleFailsTheWholeJobWithoutNamingTheRoleAndAppliesNothing() throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String login = "fc_login_" + suffix;
        String ungranted = "fc_ungranted_" + suffix;
        PostgisDatabase.executeOnCluster("CREATE ROLE " + login + " LOGIN PASSWORD 'login-pw-" + suffix + "'; CREATE ROLE " + ungranted + " NOLOGIN");
        db.execute("GRANT ALL ON places, places_id_seq TO " + login);
        World w = world("service='roles' ");
        projectSecret(w, Map.of("type", "pgservice", "value", Flows.pgService("roles", db.name(), login, "login-pw-" + suffix)));
        projectSecret(w, envFor("QFC_PG_EFFECTIVE_USER", ungranted, w.surveyor()));
        String name = "as-" + suffix;
        Flows flows = new Flows(http);
        UUID deltafile = flows.push(w.surveyor(), w.project(), w.layer(), List.of(Flows.create("POINT (1 1)", "{\"name\":\"" + name + "\"}")));

        JsonNode failed = awaitFailedApplyJob(w);
        assertThat(failed.toString()).contains("QFC_PG_EFFECTIVE_USER").contains("job stops").doesNotContain(ungranted).doesNotContain("login-pw-");
        JsonNode delta = http.as(w.surveyor()).get("/api/v1/deltas/" + w.project() + "/" + deltafile + "/").json().get(0);
        assertThat(delta.get("status").asString()).isNotEqualTo("STATUS_APPLIED");
        try (var c = db.connection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM places WHERE name = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void theLayersSqlSubsetBoundsWhichRowsAPushedPatchMayChange() throws Exception {
        db.execute("INSERT INTO places (name) VALUES ('keep-in'), ('keep-out')");
        String in = placesValue("SELECT id FROM places WHERE name = 'keep-in' ORDER BY id DESC LIMIT 1");
        String out = placesValue("SELECT id FROM places WHERE name = 'keep-out' ORDER BY id DESC LIMIT 1");
        String inline = "host=" + PostgisDatabase.HOST + " port=" + PostgisDatabase.PORT + " dbname='" + db.name() + "' user='"
                + PostgisDatabase.ADMIN_USER + "' password='" + PostgisDatabase.ADMIN_PASSWORD + "' ";
        World w = world(inline);
        String qgs = Flows.postgisProject(w.layer(), "unused", "public", "places", "id").replace("service='unused' ", inline)
                .replace("(geom)</datasource>", "(geom) sql=\"id\" = " + in + "</datasource>");
        Flows flows = new Flows(http);
        flows.upload(w.owner(), w.project(), "p.qgs", qgs);
        UUID deltafile = flows.push(w.surveyor(), w.project(), w.layer(), List.of(
                Flows.patch(out, "{}", "{\"name\":\"outside-edit\"}"), Flows.patch(in, "{}", "{\"name\":\"inside-edit\"}")));
        JsonNode deltas = flows.awaitDeltas(w.surveyor(), w.project(), deltafile);
        assertThat(deltas.get(0).get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(deltas.get(0).get("last_feedback").get("msg").asString()).contains("subset string");
        assertThat(deltas.get(1).get("status").asString()).as(deltas.toString()).isEqualTo("STATUS_APPLIED");
        assertThat(placesValue("SELECT name FROM places WHERE id = " + out)).isEqualTo("keep-out");
        assertThat(placesValue("SELECT name FROM places WHERE id = " + in)).isEqualTo("inside-edit");
    }

    private static String placesValue(String sql) throws SQLException {
        try (var c = db.connection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private JsonNode awaitFailedApplyJob(World w) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = http.as(w.owner()).get("/api/v1/jobs/?project_id=" + w.project()).json();
            for (JsonNode job : jobs.has("results") ? jobs.get("results") : jobs) {
                if ("delta_apply".equals(job.path("type").asString("")) && "failed".equals(job.path("status").asString(""))) {
                    return job;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no failed delta_apply job within 60 s");
    }
}
