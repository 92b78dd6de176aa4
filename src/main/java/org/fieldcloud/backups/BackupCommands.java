package org.fieldcloud.backups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.fieldcloud.ops.AdminCommand;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code bin/fieldcloud admin backup --to DIR|s3://bucket/prefix} and
 * {@code admin restore --from DIR/fieldcloud-backup-…|s3://bucket/prefix/fieldcloud-backup-…} ({@link S3Backups}). A restore
 * runs before any migration (FieldCloudApplication disables Flyway for it) into an empty database; the next start
 * migrates the restored schema forward if this version is newer.
 */
@Configuration(proxyBeanMethods = false)
class BackupCommands {

    @Bean
    AdminCommand.AdminTask backupTask(Backups backups, S3Backups s3) {
        return task("backup", options -> {
            String to = required(options, "to");
            if (S3Backups.isS3(to)) {
                S3Backups.Published p = s3.backup(to);
                return describe(S3Backups.Location.parse(to).bucket(), p.key(), p.result());
            }
            Backups.Result r = backups.backup(Path.of(to));
            return "Backup written to " + r.location() + " (schema " + r.schemaVersion() + ", " + r.blobs() + " blobs, " + r.blobBytes() + " bytes).";
        });
    }

    private static String describe(String bucket, String key, Backups.Result r) {
        return "Backup written to " + S3Backups.SCHEME + bucket + "/" + key + " (schema " + r.schemaVersion() + ", " + r.blobs() + " blobs, "
                + r.blobBytes() + " bytes).";
    }

    @Bean
    AdminCommand.AdminTask restoreTask(Backups backups, S3Backups s3) {
        return task("restore", options -> {
            String from = required(options, "from");
            return S3Backups.isS3(from) ? s3.restore(from) : backups.restore(Path.of(from));
        });
    }

    private interface Body {
        String run(Map<String, String> options) throws IOException;
    }

    private static AdminCommand.AdminTask task(String name, Body body) {
        return new AdminCommand.AdminTask() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String run(Map<String, String> options) {
                try {
                    return body.run(options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank() || value.equals("true")) {
            throw new IllegalArgumentException("--" + name + " DIR is required");
        }
        return value;
    }
}
