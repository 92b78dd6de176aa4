package org.fieldcloud.backups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.fieldcloud.ops.AdminCommand;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code bin/fieldcloud admin backup --to DIR} and {@code admin restore --from DIR/fieldcloud-backup-…}. A restore
 * runs before any migration (FieldCloudApplication disables Flyway for it) into an empty database; the next start
 * migrates the restored schema forward if this version is newer.
 */
@Configuration(proxyBeanMethods = false)
class BackupCommands {

    @Bean
    AdminCommand.AdminTask backupTask(Backups backups) {
        return task("backup", options -> {
            Backups.Result r = backups.backup(Path.of(required(options, "to")));
            return "Backup written to " + r.location() + " (schema " + r.schemaVersion() + ", " + r.blobs() + " blobs, " + r.blobBytes() + " bytes).";
        });
    }

    @Bean
    AdminCommand.AdminTask restoreTask(Backups backups) {
        return task("restore", options -> backups.restore(Path.of(required(options, "from"))));
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
