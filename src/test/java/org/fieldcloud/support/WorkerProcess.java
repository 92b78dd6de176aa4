package org.fieldcloud.support;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A separate {@code FieldCloudApplication worker} JVM on the test class path, attached to the test server's
 * embedded database (same data directory), with one worker and 1 s heartbeats. Tests kill it to prove recovery.
 */
public final class WorkerProcess {

    private WorkerProcess() { }

    public static Process start(String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.fieldcloud.FieldCloudApplication", "worker")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", logName).toFile());
        pb.environment().put("FIELDCLOUD_DATA_DIR", ApiTest.dataDir().toAbsolutePath().toString());
        pb.environment().put("FIELDCLOUD_WORKERS", "1");
        pb.environment().put("FIELDCLOUD_JOBS_HEARTBEAT_SECONDS", "1");
        return pb.start();
    }
}
