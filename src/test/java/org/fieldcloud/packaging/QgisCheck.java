package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fieldcloud.support.Http;
import tools.jackson.databind.JsonNode;

/**
 * Opens a project with the real QGIS (Debian {@code python3-qgis}, run offscreen), as QField would, and reports each
 * layer. Without QGIS the check fails with a message saying what to install: it is never skipped.
 */
final class QgisCheck {

    private static final String PYTHON = "/usr/bin/python3";

    private QgisCheck() { }

    /** What QGIS says about a project: its layers by id, and the project's OfflineDbPath entry. */
    record Opened(Map<String, JsonNode> layers, String offlineDbPath) { }

    static Opened open(Path project) throws IOException, InterruptedException {
        requireQgis();
        Path script = Files.createTempFile("open_package", ".py");
        try (InputStream in = QgisCheck.class.getResourceAsStream("/packaging/qgis/open_package.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Result r = run(PYTHON, script.toString(), project.toString());
            assertThat(r.exit()).as("QGIS could not read " + project.getFileName() + ": " + r.output() + r.errors()).isZero();
            Map<String, JsonNode> layers = new LinkedHashMap<>();
            String dbPath = null;
            for (String line : r.output().split("\n")) {
                // The script prints one JSON object per line; anything else on stdout (a library's notice, even one
                // without a line break before the object) is skipped.
                int start = line.indexOf("{\"");
                if (start < 0) {
                    continue;
                }
                JsonNode node = Http.JSON.readTree(line.substring(start));
                if (node.has("offlineDbPath")) {
                    dbPath = node.get("offlineDbPath").asString();
                } else {
                    layers.put(node.get("id").asString(), node);
                }
            }
            return new Opened(layers, dbPath);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void requireQgis() throws IOException, InterruptedException {
        Result r = run(PYTHON, "-c", "import qgis.core");
        if (r.exit() != 0) {
            fail("QGIS is needed to check that packages open in QGIS, but '" + PYTHON + " -c \"import qgis.core\"' failed: " + r.output() + r.errors()
                    + "\nInstall it with: apt-get install -y python3-qgis qgis-providers (as .ci/run does).");
        }
    }

    /** Standard output (what the script prints) and, apart, standard error (QGIS and Qt warnings). */
    private record Result(int exit, String output, String errors) { }

    /**
     * Runs the command with its error stream kept apart: QGIS writes warnings there at any moment, and in one merged
     * stream they could land inside a line of the script's JSON.
     */
    private static Result run(String... command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("qgis-check", ".stderr");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(errors.toFile());
            pb.environment().put("QT_QPA_PLATFORM", "offscreen");
            pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Result(127, "", e.getMessage());
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, output, "timed out: " + Files.readString(errors));
            }
            return new Result(p.exitValue(), output, Files.readString(errors));
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
