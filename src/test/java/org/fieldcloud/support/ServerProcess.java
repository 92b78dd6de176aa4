package org.fieldcloud.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A second FieldCloud server in its own JVM on the test class path ({@code FieldCloudApplication serve}), on a free
 * loopback port, with the given data directory and {@code FIELDCLOUD_*} settings; its output goes to
 * {@code <data dir>/serve.log} or the given log. Also runs one-shot {@code admin} commands.
 */
public record ServerProcess(Process process, int port, Path log) implements AutoCloseable {

    public static ServerProcess serve(Path dataDir, Path log, Map<String, String> settings) throws IOException {
        return start("serve", dataDir, log, settings);
    }

    /** A {@code worker} process (jobs only, no HTTP); {@link #awaitWorkers()} waits until its workers run. */
    public static ServerProcess worker(Path dataDir, Path log, Map<String, String> settings) throws IOException {
        return start("worker", dataDir, log, settings);
    }

    private static ServerProcess start(String mode, Path dataDir, Path log, Map<String, String> settings) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(command(mode)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FIELDCLOUD_DATA_DIR", dataDir.toAbsolutePath().toString());
        pb.environment().put("FIELDCLOUD_PORT", Integer.toString(port));
        pb.environment().put("FIELDCLOUD_BIND_ADDRESS", "127.0.0.1");
        pb.environment().putAll(settings);
        return new ServerProcess(pb.start(), port, log);
    }

    /** Runs {@code FieldCloudApplication admin <args>} to its end and returns what it printed. */
    public static String admin(Path dataDir, Map<String, String> settings, String... args) throws IOException, InterruptedException {
        List<String> command = command("admin");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FIELDCLOUD_DATA_DIR", dataDir.toAbsolutePath().toString());
        pb.environment().putAll(settings);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }

    private static List<String> command(String mode) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.fieldcloud.FieldCloudApplication", mode));
    }

    public Http http() {
        return new Http("http://127.0.0.1:" + port);
    }

    /** Waits (two minutes at most) until {@code answers} is true; fails at once if the process died. */
    public ServerProcess awaitUp(Callable<Boolean> answers) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the server process ended; see " + log);
            }
            try {
                if (answers.call()) {
                    return this;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server process did not answer within two minutes; see " + log);
    }

    /** Waits until {@code GET /api/v1/status/} answers over plain HTTP. */
    public ServerProcess awaitHttp() throws InterruptedException {
        return awaitUp(() -> http().get("/api/v1/status/").status() == 200);
    }

    /** Waits until the process logged that its job workers started. */
    public ServerProcess awaitWorkers() throws InterruptedException {
        return awaitUp(() -> java.nio.file.Files.readString(log).contains("job worker(s) as"));
    }

    /** SIGKILL: the JVM gets no chance to finish anything (no shutdown hooks, no graceful stop). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Signs in over the API and returns the new token. */
    public String login(String username, String password) {
        Http.Response r = http().post("/api/v1/auth/token/", Map.of("username", username, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("login as " + username + " answered " + r.status());
        }
        return r.json().get("token").asString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
