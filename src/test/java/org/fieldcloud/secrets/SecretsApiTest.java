package org.fieldcloud.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

/** The secrets API: write-only values, encryption at rest, tampering, rotation and bad input. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsApiTest extends ApiTest {

    @Autowired
    SecretResolution resolution;
    @Autowired
    TransactionTemplate tx;

    private TestData.User owner;
    private TestData.User member;
    private TestData.Org org;
    private TestData.Project project;

    @BeforeEach
    void world() {
        owner = data.person("owner");
        member = data.person("member");
        org = data.organization(owner);
        data.member(org, member, "member");
        project = data.project(org);
        data.collaborator(project, member, "editor");
    }

    private String projectSecrets() {
        return "/api/v1/projects/" + project.id() + "/secrets/";
    }

    private String orgSecrets() {
        return "/api/v1/organizations/" + org.username() + "/secrets/";
    }

    private long stored() {
        return data.jdbc().sql("SELECT count(*) FROM secrets WHERE project_id = :p OR organization_id = :o")
                .param("p", project.id()).param("o", org.id()).query(Long.class).single();
    }

    @Test
    void aCanaryValueNeverComesBackFromAnyResponseLogAuditOrTableRead(CapturedOutput output) {
        String canary = "canary-" + UUID.randomUUID();
        String servicePassword = "pw-" + UUID.randomUUID();
        StringBuilder responses = new StringBuilder();
        Http.Response env = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "API_TOKEN", "value", canary));
        assertThat(env.status()).as(env.toString()).isEqualTo(201);
        assertThat(env.json().has("value")).isFalse();
        responses.append(env.text());
        Http.Response pg = http.as(owner).post(orgSecrets(), Map.of("type", "pgservice", "assigned_to", member.username(),
                "value", "[geodb]\nhost=db.example\nport=5432\ndbname=gis\nuser=field\npassword=" + servicePassword + "\n"));
        assertThat(pg.status()).as(pg.toString()).isEqualTo(201);
        assertThat(pg.json().get("name").asString()).isEqualTo("PG_SERVICE_GEODB");
        assertThat(pg.json().get("service_name").asString()).isEqualTo("geodb");
        responses.append(pg.text());
        Http.Response duplicate = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "API_TOKEN", "value", canary));
        assertThat(duplicate.status()).isEqualTo(400);
        responses.append(duplicate.text());
        responses.append(http.as(owner).get(projectSecrets()).text());
        responses.append(http.as(owner).get(orgSecrets()).text());
        JobSecrets job = resolution.forJob(member.id(), project.id(), UUID.randomUUID());
        assertThat(job.environment()).containsEntry("API_TOKEN", canary);
        assertThat(job.mask("token " + canary + " and " + servicePassword)).isEqualTo("token *** and ***");
        responses.append(http.as(owner).get(projectSecrets() + "audit/").text());
        responses.append(http.as(owner).get(orgSecrets() + "audit/").text());
        responses.append(http.as(owner).delete(projectSecrets() + env.json().get("id").asLong() + "/").text());
        responses.append(http.as(owner).put(projectSecrets() + pg.json().get("id").asLong() + "/", Map.of("value", "x")).text());

        // Every column as text (bytea shows as hex there), and every bytea column decoded as raw bytes.
        String table = data.jdbc().sql("SELECT string_agg(s::text || ' ' || encode(s.nonce, 'escape') || ' ' || encode(s.ciphertext, 'escape'), ' ') "
                + "FROM secrets s").query(String.class).single();
        String audit = data.jdbc().sql("SELECT string_agg(a::text, ' ') FROM secret_audit a").query(String.class).single();
        for (String secret : List.of(canary, servicePassword)) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            assertThat(responses.toString()).doesNotContain(secret);
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(table).doesNotContain(secret).doesNotContain(Base64.getEncoder().encodeToString(bytes))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(bytes));
            assertThat(audit).doesNotContain(secret);
        }
        assertThat(audit).contains("API_TOKEN").contains("resolve");
    }

    @Test
    void aCiphertextMovedToAnotherRowDoesNotDecrypt() {
        long a = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "FIRST", "value", "first-value")).json().get("id").asLong();
        long b = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "SECOND", "value", "second-value")).json().get("id").asLong();
        data.jdbc().sql("UPDATE secrets SET nonce = src.nonce, ciphertext = src.ciphertext, key_id = src.key_id FROM secrets src WHERE src.id = :a AND secrets.id = :b")
                .param("a", a).param("b", b).update();
        assertThatThrownBy(() -> resolution.resolve(member.id(), project.id()))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("Secret " + b + " (SECOND) does not decrypt")
                .hasMessageNotContaining("first-value");
    }

    @Test
    void rotationReencryptsEveryRowSoThatOldKeysCanBeRemoved() throws Exception {
        String oldKeys = "old:" + key();
        String serverKey = Files.readString(dataDir().resolve("secrets.key")).trim();
        String newKeys = "new:" + key() + "," + oldKeys + "," + serverKey;
        SecretCipher oldCipher = new SecretCipher(new SecretKeys(oldKeys));
        Secrets withOldKey = new Secrets(data.jdbc(), oldCipher, Http.JSON);
        TestData.Project rotated = data.project(owner);
        tx.executeWithoutResult(s -> {
            withOldKey.create(SecretScope.project(rotated.id()), new Secrets.NewSecret("ONE", "envvar", "value-one", null), owner.id());
            withOldKey.create(SecretScope.project(rotated.id()), new Secrets.NewSecret(null, "pgservice", "[svc]\npassword=two\n", null), owner.id());
        });
        SecretRotation rotation = new SecretRotation(data.jdbc(), new SecretCipher(new SecretKeys(newKeys)), tx);
        // Rotation re-encrypts every row of the shared database under a key the server does not have: put them back
        // under the server's key afterwards, whatever happens, so no other test depends on running before this one.
        try {
            rotatedUnderANewKey(rotation, rotated, oldKeys, newKeys, oldCipher, withOldKey);
        } finally {
            new SecretRotation(data.jdbc(), new SecretCipher(new SecretKeys(serverKey + "," + newKeys)), tx).rotate();
        }
        assertThat(resolution.resolve(owner.id(), rotated.id())).extracting(ResolvedSecret::value).as("the server reads them again")
                .containsExactly("value-one", "[svc]\npassword=two\n");
        assertThat(data.jdbc().sql("SELECT count(*) FROM secrets WHERE key_id <> :k").param("k", serverKey.split(":")[0]).query(Long.class).single())
                .isZero();
    }

    private void rotatedUnderANewKey(SecretRotation rotation, TestData.Project rotated, String oldKeys, String newKeys, SecretCipher oldCipher,
                                     Secrets withOldKey) {
        assertThat(rotation.rotate().rotated()).isGreaterThanOrEqualTo(2);
        assertThat(data.jdbc().sql("SELECT DISTINCT key_id FROM secrets WHERE project_id = :p").param("p", rotated.id()).query(String.class).list())
                .containsExactly("new");
        SecretResolution onlyNewKey = new SecretResolution(data.jdbc(), new SecretCipher(new SecretKeys("new:" + newKeys.split("new:")[1].split(",")[0])),
                new Secrets(data.jdbc(), oldCipher, Http.JSON));
        assertThat(onlyNewKey.resolve(owner.id(), rotated.id())).extracting(ResolvedSecret::value).containsExactly("value-one", "[svc]\npassword=two\n");
        SecretResolution onlyOldKey = new SecretResolution(data.jdbc(), oldCipher, withOldKey);
        assertThatThrownBy(() -> onlyOldKey.resolve(owner.id(), rotated.id())).hasMessageContaining("key 'new', which is not configured");
    }

    @Test
    void theGeneratedKeyFileIsOwnerOnly() throws Exception {
        var file = dataDir().resolve("secrets.key");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void badInputIsRefusedPreciselyAndNothingIsStored() {
        Map<String, Map<String, Object>> cases = new HashMap<>();
        cases.put("capital letters", Map.of("type", "envvar", "name", "lower_case", "value", "v"));
        cases.put("exactly one service", Map.of("type", "pgservice", "value", "[a]\nhost=x\n[b]\nhost=y\n"));
        cases.put("found 0", Map.of("type", "pgservice", "value", "# no service here\n"));
        cases.put("64 KiB", Map.of("type", "envvar", "name", "BIG", "value", "x".repeat(65 * 1024)));
        cases.put("must be assigned to a user", Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", "role"));
        cases.put("has no role on this project", Map.of("type", "envvar", "name", "ASSIGNED", "value", "v", "assigned_to", data.person("outsider").username()));
        cases.put("at most 63 bytes", Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", "r".repeat(64),
                "assigned_to", member.username()));
        cases.put("port must be a number", Map.of("type", "pgservice", "value", "[svc]\nport=abc\n"));
        cases.put("sslmode must be one of", Map.of("type", "pgservice", "value", "[svc]\nsslmode=maybe\n"));
        cases.put("'type' must be one of", Map.of("type", "file", "name", "X1", "value", "v"));
        cases.put("Field 'value' is required", Map.of("type", "envvar", "name", "NOVALUE"));
        for (var c : cases.entrySet()) {
            Http.Response r = http.as(owner).post(projectSecrets(), c.getValue());
            assertThat(r.status()).as(c.getKey() + ": " + r).isEqualTo(400);
            assertThat(r.json().get("message").asString()).as(c.getKey()).contains(c.getKey());
        }
        Http.Response malformed = http.as(owner).raw("POST", projectSecrets(), "application/json", "{\"type\":");
        assertThat(malformed.status()).isEqualTo(400);
        Http.Response notMember = http.as(owner).post(orgSecrets(), Map.of("type", "envvar", "name", "X2", "value", "v",
                "assigned_to", data.person("stranger").username()));
        assertThat(notMember.json().get("message").asString()).contains("is not a member of this organization");
        assertThat(stored()).isZero();
        assertThat(http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "DUP", "value", "v")).status()).isEqualTo(201);
        Http.Response dup = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "DUP", "value", "w"));
        assertThat(dup.json().get("message").asString()).contains("already exists");
        assertThat(stored()).isEqualTo(1);
        assertThat(http.as(owner).delete(orgSecrets() + "999999999/").status()).isEqualTo(404);
    }

    @Test
    void malformedJsonNeverEchoesTheBody() {
        String canary = "unquoted" + UUID.randomUUID().toString().replace("-", "");
        Http.Response r = http.as(owner).raw("POST", projectSecrets(), "application/json",
                "{\"type\":\"envvar\",\"name\":\"LEAK\",\"value\": " + canary + "}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).startsWith("Malformed JSON body").contains("line 1").doesNotContain(canary);
        assertThat(stored()).isZero();
    }

    @Test
    void secretsCannotBeEdited() {
        long id = http.as(owner).post(projectSecrets(), Map.of("type", "envvar", "name", "FIXED", "value", "v")).json().get("id").asLong();
        Http.Response r = http.as(owner).patch(projectSecrets() + id + "/", Map.of("value", "w"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().get("message").asString()).contains("cannot be edited");
    }

    @Test
    void theMaskerHidesValuesAndPasswordsEverywhereAndShortValuesAsWholeWords() {
        JobSecrets job = JobSecrets.of(List.of(
                new ResolvedSecret(1, "FLAG", "envvar", "project", "on"),
                new ResolvedSecret(2, "PGPASSWORD", "envvar", "project", "pw"),
                new ResolvedSecret(3, "PG_SERVICE_A", "pgservice", "project", "[a]\nhost=h\nuser=u\npassword=s3\n")));
        assertThat(job.mask("flag on, password pw, service password s3")).isEqualTo("flag ***, password ***, service password ***");
        assertThat(job.mask("online:on.")).as("a short value inside a word stays").isEqualTo("online:***.");
        assertThat(job.service("a")).hasValueSatisfying(s -> assertThat(s).containsEntry("host", "h"));
        assertThat(job.pgServiceConf()).contains("[a]");
    }

    private static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

}
