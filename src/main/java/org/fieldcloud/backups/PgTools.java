package org.fieldcloud.backups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fieldcloud.ops.DatabaseEndpoint;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL's own {@code pg_dump} and {@code pg_restore}, from {@code FIELDCLOUD_PG_BIN} or the machine's PostgreSQL 15
 * ({@code /usr/lib/postgresql/15/bin}, Debian's {@code postgresql-client-15}), or the {@code PATH}. They must be of at
 * least the database server's major version. The password reaches them through the environment only.
 */
@Component
class PgTools {

    private final Path bin;

    PgTools(@Value("${fieldcloud.pg-bin:}") String configured) {
        Path debian = Path.of("/usr/lib/postgresql/15/bin");
        this.bin = !configured.isBlank() ? Path.of(configured) : Files.isDirectory(debian) ? debian : null;
    }

    /** Runs a tool against the database; its output (never a password) is returned for the error message. */
    void run(DatabaseEndpoint db, String tool, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin == null ? tool : bin.resolve(tool).toString());
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(db.libpqEnvironment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(tool + " is not installed here (set FIELDCLOUD_PG_BIN to the directory of PostgreSQL's tools, "
                    + "e.g. /usr/lib/postgresql/15/bin): " + e.getMessage(), e);
        }
        String output = new String(p.getInputStream().readAllBytes());
        try {
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IOException(tool + " failed (exit " + exit + "): " + output.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(tool + " was interrupted", e);
        }
    }
}
