package org.fieldcloud.backups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldcloud.support.Await;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.S3Store;
import org.fieldcloud.support.ServerProcess;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 13 §4: backups to S3. A server keeping its files in one S3 store is backed up by {@code admin backup --to
 * s3://…} into a second store ({@code FIELDCLOUD_BACKUP_S3_*}); {@code admin restore --from s3://…} into a fresh
 * database and an empty file bucket gives a server that answers the same reads byte for byte. A prefix without a
 * complete backup is refused. Scheduled backups to {@code s3://} run, show in {@code status/}, and keep only the
 * newest {@code FIELDCLOUD_BACKUP_KEEP}. No command prints a key or password.
 */
class S3BackupTest {

    private static final String ADMIN = "s3backupadmin";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @Test
    void aBackupInS3RestoresToAServerThatAnswersTheSameAndScheduledBackupsArePruned() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "test-data", "s3backup-" + UUID.randomUUID()));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretsKey = "s3bk:" + Base64.getEncoder().encodeToString(key);
        try (S3Store files = new S3Store(dir.resolve("files-store")); S3Store vault = new S3Store(dir.resolve("backup-store"));
             PostgisDatabase source = PostgisDatabase.createEmpty("fc_s3bk_src"); PostgisDatabase target = PostgisDatabase.createEmpty("fc_s3bk_dst")) {
            Map<String, String> backupStore = Map.of("FIELDCLOUD_BACKUP_S3_ENDPOINT", vault.endpoint(), "FIELDCLOUD_BACKUP_S3_ACCESS_KEY", vault.accessKey(),
                    "FIELDCLOUD_BACKUP_S3_SECRET_KEY", vault.secretKey());
            Map<String, String> original = new HashMap<>(source.asMetadataDatabase());
            original.putAll(files.asFileStore("files"));
            original.putAll(backupStore);
            original.putAll(Map.of("FIELDCLOUD_ADMIN_USERNAME", ADMIN, "FIELDCLOUD_ADMIN_PASSWORD", PASSWORD, "FIELDCLOUD_SECRETS_KEYS", secretsKey,
                    "FIELDCLOUD_BACKUP_TO", "s3://scheduled/fieldcloud", "FIELDCLOUD_BACKUP_INTERVAL", "PT2S", "FIELDCLOUD_BACKUP_KEEP", "2"));

            List<String> reads;
            List<String> before = new java.util.ArrayList<>();
            String token;
            try (ServerProcess a = ServerProcess.serve(dir.resolve("a"), dir.resolve("a.log"), original).awaitHttp()) {
                token = a.login(ADMIN, PASSWORD);
                Http api = a.http().as(token);
                UUID project = UUID.fromString(api.post("/api/v1/projects/", Map.of("name", "s3backup")).json().get("id").asString());
                upload(api, project, "notes.txt", "first version");
                upload(api, project, "notes.txt", "second version " + UUID.randomUUID());
                upload(api, project, "data.bin", UUID.randomUUID().toString().repeat(2000));
                reads = List.of("/api/v1/projects/" + project + "/", "/api/v1/files/" + project + "/", "/api/v1/files/" + project + "/notes.txt/",
                        "/api/v1/files/" + project + "/data.bin/");
                for (String path : reads) {
                    before.add(api.get(path).text());
                }

                String output = ServerProcess.admin(dir.resolve("a"), original, "backup", "--to", "s3://nightly/fieldcloud/");
                Matcher written = Pattern.compile("Backup written to (s3://nightly/fieldcloud/fieldcloud-backup-\\S+) \\(").matcher(output);
                assertThat(written.find()).as(output).isTrue();
                assertNoSecret(output, files, vault, secretsKey);
                String backup = written.group(1);
                try (S3Client s3 = vault.client()) {
                    List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("nightly").prefix("fieldcloud/")).contents().stream().map(S3Object::key).toList();
                    String base = backup.substring("s3://nightly/".length()) + "/";
                    assertThat(keys).contains(base + "manifest.json", base + "database.dump");
                    assertThat(keys.stream().filter(k -> k.startsWith(base + "blobs/"))).as("every version's blob").hasSize(3);
                }
                try (S3Client s3 = files.client()) {
                    assertThat(s3.listObjectsV2(b -> b.bucket("nightly")).contents()).isEmpty();
                } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException expected) {
                    // the backup went to the backup store only
                }

                // Scheduled rounds every 2 s: status shows the last one; only the newest two complete backups stay.
                Await.until(() -> manifests(vault, "scheduled") >= 2 && a.http().get("/api/v1/status/").json().get("last_backup_at").isString(), Duration.ofSeconds(90));
                long rounds = countBackups(source);
                Await.until(() -> countBackups(source) >= rounds + 2, Duration.ofSeconds(60));
                assertThat(manifests(vault, "scheduled")).as("complete scheduled backups kept").isBetween(2L, 3L);
                Await.until(() -> manifests(vault, "scheduled") == 2, Duration.ofSeconds(30));

                Map<String, String> restoredSettings = new HashMap<>(target.asMetadataDatabase());
                restoredSettings.putAll(files.asFileStore("files-restored"));
                restoredSettings.putAll(backupStore);
                restoredSettings.putAll(Map.of("FIELDCLOUD_ADMIN_USERNAME", ADMIN, "FIELDCLOUD_ADMIN_PASSWORD", PASSWORD, "FIELDCLOUD_SECRETS_KEYS", secretsKey));

                String refused = ServerProcess.admin(dir.resolve("b"), restoredSettings, "restore", "--from", "s3://nightly/fieldcloud");
                assertThat(refused).contains("holds no complete backup").contains(backup);
                assertThat(count(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("nothing restored").isZero();

                String restored = ServerProcess.admin(dir.resolve("b"), restoredSettings, "restore", "--from", backup);
                assertThat(restored).contains("Restored fieldcloud-backup-").contains("3 blobs");
                assertNoSecret(restored, files, vault, secretsKey);

                a.kill();
                try (ServerProcess b = ServerProcess.serve(dir.resolve("b"), dir.resolve("b.log"), restoredSettings).awaitHttp()) {
                    Http restoredApi = b.http().as(token);
                    for (int i = 0; i < reads.size(); i++) {
                        assertThat(restoredApi.get(reads.get(i)).text()).as(reads.get(i)).isEqualTo(before.get(i));
                    }
                }
            }
        }
    }

    private static void upload(Http api, UUID project, String name, String content) {
        assertThat(new Multipart().file("file", name, content.getBytes(StandardCharsets.UTF_8)).post(api, "/api/v1/files/" + project + "/" + name).status())
                .isEqualTo(201);
    }

    private static void assertNoSecret(String output, S3Store files, S3Store vault, String secretsKey) {
        assertThat(output).doesNotContain(files.secretKey()).doesNotContain(vault.secretKey()).doesNotContain(secretsKey.split(":")[1])
                .doesNotContain(PostgisDatabase.ADMIN_PASSWORD).doesNotContain(PASSWORD);
    }

    private static long manifests(S3Store store, String bucket) {
        try (S3Client s3 = store.client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().filter(o -> o.key().endsWith("/manifest.json")).count();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException notYet) {
            return 0;
        }
    }

    private static long countBackups(PostgisDatabase db) {
        return count(db, "SELECT count(*) FROM backups WHERE error IS NULL");
    }

    private static long count(PostgisDatabase db, String sql) {
        try (var c = db.connection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
