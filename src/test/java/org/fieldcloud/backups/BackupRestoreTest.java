package org.fieldcloud.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.ServerProcess;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13: a populated server (people, an organization with a member, a project with collaborators, files with
 * several versions, secrets at all four levels, deltas and jobs) is backed up while it runs, restored by
 * {@code admin restore} into an empty data directory and a fresh embedded database, and a server started there
 * answers every read exactly as the original; its jobs decrypt the restored secrets. Without the secrets key the
 * restore refuses, naming the key it lacks, and restores nothing.
 */
class BackupRestoreTest extends ApiTest {

    private static final String QGS = """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.34.0-Prizren" projectname="backed-up"><title>backed-up</title><projectlayers/></qgis>
            """;

    @Autowired
    Backups backups;

    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (ServerProcess server : servers) {
            server.close();
        }
    }

    @Test
    void aRestoredServerAnswersExactlyAsTheOriginalAndDecryptsItsSecrets() throws Exception {
        TestData.User owner = data.person("bkowner");
        TestData.User member = data.person("bkmember");
        String org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("bkorg"))).json().get("username").asString();
        assertThat(http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", member.username(), "role", "member")).status()).isEqualTo(201);
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("bk"), "owner", org))
                .json().get("id").asString());
        assertThat(http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", member.username(), "role", "editor"))
                .status()).isEqualTo(201);
        upload(owner, project, "notes.txt", "first version");
        upload(owner, project, "notes.txt", "second version");
        upload(owner, project, "project.qgs", QGS);
        String orgSecrets = "/api/v1/organizations/" + org + "/secrets/";
        String projectSecrets = "/api/v1/projects/" + project + "/secrets/";
        secret(owner, orgSecrets, Map.of("type", "envvar", "name", "ORG_LEVEL", "value", "org-" + UUID.randomUUID()));
        secret(owner, orgSecrets, Map.of("type", "envvar", "name", "ORG_ASSIGNED", "value", "orga-" + UUID.randomUUID(), "assigned_to", member.username()));
        secret(owner, projectSecrets, Map.of("type", "pgservice", "value", "[svc]\nhost=db.example\ndbname=gis\nuser=u\npassword=pw-" + UUID.randomUUID() + "\n"));
        secret(owner, projectSecrets, Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", "role_" + UUID.randomUUID().toString().substring(0, 8),
                "assigned_to", member.username()));
        pushDelta(member, project);
        awaitIdle(project);

        List<String> reads = List.of("/api/v1/projects/" + project + "/", "/api/v1/files/" + project + "/", "/api/v1/files/" + project + "/notes.txt/",
                "/api/v1/collaborators/" + project + "/", "/api/v1/members/" + org + "/", orgSecrets, projectSecrets, projectSecrets + "audit/",
                "/api/v1/deltas/" + project + "/", "/api/v1/jobs/?project_id=" + project);
        List<String> before = new ArrayList<>();
        for (String path : reads) {
            before.add(http.as(owner).get(path).text());
        }

        Backups.Result backup = backups.backup(Files.createTempDirectory(dataDir().toAbsolutePath().getParent(), "backup-"));
        assertThat(backup.blobs()).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(backup.location().resolve("manifest.json"))).contains("secret_key_ids").doesNotContain(serverKey().split(":")[1]);

        Path restoredDir = freshDataDir();
        String restored = admin(restoredDir, serverKey(), "restore", "--from", backup.location().toString());
        assertThat(restored).contains("Restored " + backup.location().getFileName());

        Http node = serve(restoredDir, serverKey());
        for (int i = 0; i < reads.size(); i++) {
            assertThat(node.as(owner).get(reads.get(i)).text()).as(reads.get(i)).isEqualTo(before.get(i));
        }
        assertThat(node.as(member).get("/api/v1/auth/user/").status()).as("tokens are restored too").isEqualTo(200);

        String job = node.as(owner).post("/api/v1/jobs/", Map.of("project_id", project.toString(), "type", "process_projectfile", "force", true))
                .json().get("id").asString();
        JsonNode finished = awaitJob(node, owner, job);
        assertThat(finished.get("status").asString()).as("the restored server decrypts the restored secrets: " + finished).isEqualTo("finished");
    }

    @Test
    void withoutTheSecretsKeyTheRestoreRefusesAndNamesTheMissingKey() throws Exception {
        TestData.User owner = data.person("bknokey");
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("bknokey"))).json().get("id").asString());
        secret(owner, "/api/v1/projects/" + project + "/secrets/", Map.of("type", "envvar", "name", "NEEDS_KEY", "value", "v-" + UUID.randomUUID()));
        Backups.Result backup = backups.backup(Files.createTempDirectory(dataDir().toAbsolutePath().getParent(), "backup-"));

        Path restoredDir = freshDataDir();
        String refused = admin(restoredDir, null, "restore", "--from", backup.location().toString());
        assertThat(refused).contains("encrypted with key id(s) [" + serverKey().split(":")[0] + "]").contains("nothing was restored");
        String second = admin(restoredDir, serverKey(), "restore", "--from", backup.location().toString());
        assertThat(second).as("the refused restore left the database empty").contains("Restored");
    }

    private void upload(TestData.User user, UUID project, String name, String content) {
        Http.Response r = new Multipart().file("file", name, content.getBytes(StandardCharsets.UTF_8)).post(http.as(user), "/api/v1/files/" + project + "/" + name + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private void secret(TestData.User user, String path, Map<String, Object> body) {
        Http.Response r = http.as(user).post(path, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private void pushDelta(TestData.User user, UUID project) {
        String deltafile = "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + project + "\",\"files\":[],\"deltas\":[{\"uuid\":\""
                + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"localPk\":\"1\",\"sourcePk\":\"\",\"localLayerId\":\"l\","
                + "\"sourceLayerId\":\"l\",\"method\":\"create\",\"new\":{\"attributes\":{\"a\":1}}}]}";
        Http.Response r = new Multipart().file("file", "deltafile.json", deltafile.getBytes(StandardCharsets.UTF_8)).post(http.as(user), "/api/v1/deltas/" + project + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private void awaitIdle(UUID project) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && data.jdbc().sql("SELECT count(*) FROM jobs WHERE project_id = :p AND status IN ('pending', 'queued', 'started')")
                .param("p", project).query(Long.class).single() > 0) {
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitJob(Http node, TestData.User user, String job) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode j = node.as(user).get("/api/v1/jobs/" + job + "/").json();
        while (!Map.of("finished", 1, "failed", 1).containsKey(j.get("status").asString()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            j = node.as(user).get("/api/v1/jobs/" + job + "/").json();
        }
        return j;
    }

    private static String serverKey() throws IOException {
        return Files.readString(dataDir().resolve("secrets.key")).trim();
    }

    private static Path freshDataDir() throws IOException {
        return Files.createTempDirectory(dataDir().toAbsolutePath().getParent(), "restored-");
    }

    private static String admin(Path dataDir, String keys, String... args) throws Exception {
        return ServerProcess.admin(dataDir, settings(keys), args);
    }

    private Http serve(Path dataDir, String keys) throws Exception {
        ServerProcess node = ServerProcess.serve(dataDir, dataDir.resolve("serve.log"), settings(keys));
        servers.add(node);
        return node.awaitHttp().http();
    }

    /** The restored server's settings; without {@code keys} it generates a key of its own, as a fresh install does. */
    private static Map<String, String> settings(String keys) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("FIELDCLOUD_ADMIN_USERNAME", "restoreadmin",
                "FIELDCLOUD_ADMIN_PASSWORD", "restore-admin-password", "FIELDCLOUD_WORKERS", "1"));
        if (keys != null) {
            settings.put("FIELDCLOUD_SECRETS_KEYS", keys);
        }
        return settings;
    }
}
