package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's path, run after packaging: {@code bin/fieldcloud serve} on an empty data directory starts
 * the embedded database, creates the admin account, and answers {@code GET /api/v1/status/}; a second
 * start on the same directory keeps the data; {@code admin create-user} works against it.
 */
class LauncherIT {

    @Test
    void serveOnEmptyDataDirAnswersStatusAndKeepsDataAcrossRestarts() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "launcher-data");
        int port = freePort();
        Process server = serve(dataDir, port, dataDir.resolve("serve1.log"));
        try {
            assertThat(waitForStatus(port)).contains("\"database\":\"ok\"");
            assertThat(Files.readString(dataDir.resolve("serve1.log"))).contains("Password (shown only this once)");
            ProcessBuilder adminCommand = new ProcessBuilder("bin/fieldcloud", "admin", "create-user", "--username", "launcher_user",
                    "--email", "launcher@example.org", "--password", "launcher-password")
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("admin.log").toFile());
            adminCommand.environment().put("FIELDCLOUD_DATA_DIR", dataDir.toString());
            Process admin = adminCommand.start();
            assertThat(admin.waitFor()).isZero();
        } finally {
            stop(server);
        }
        Process again = serve(dataDir, port, dataDir.resolve("serve2.log"));
        try {
            waitForStatus(port);
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/auth/login/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"launcher_user\",\"password\":\"launcher-password\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(Files.readString(dataDir.resolve("serve2.log"))).doesNotContain("Password (shown only this once)");
        } finally {
            stop(again);
        }
    }

    private static Process serve(Path dataDir, int port, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bin/fieldcloud", "serve").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FIELDCLOUD_DATA_DIR", dataDir.toString());
        pb.environment().put("FIELDCLOUD_PORT", Integer.toString(port));
        pb.environment().put("FIELDCLOUD_BIND_ADDRESS", "127.0.0.1");
        return pb.start();
    }

    private static String waitForStatus(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/status/")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("bin/fieldcloud serve did not answer /api/v1/status/ within 120 s");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
