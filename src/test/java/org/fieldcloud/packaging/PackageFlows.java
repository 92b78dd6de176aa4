package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import tools.jackson.databind.JsonNode;

/** What QField / QFieldSync do with packages over HTTP: upload a project, ask for a package, wait, download it. */
final class PackageFlows {

    private final Http http;

    PackageFlows(Http http) {
        this.http = http;
    }

    static byte[] fixture(String name) {
        try (InputStream in = PackageFlows.class.getResourceAsStream("/packaging/" + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    void upload(TestData.User user, UUID project, String name, byte[] content) {
        Http.Response r = new Multipart().file("file", name, content).post(http.as(user), "/api/v1/files/" + project + "/" + name + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    void uploadFixtures(TestData.User user, UUID project, String... names) {
        for (String name : names) {
            upload(user, project, name, fixture(name));
        }
    }

    UUID createProject(TestData.User owner) {
        Http.Response r = http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("pkg")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    Http.Response requestPackage(TestData.User user, UUID project) {
        return http.as(user).post("/api/v1/jobs/", Map.of("project_id", project.toString(), "type", "package"));
    }

    /** Requests a package and waits for its job to end; returns the job as its requester sees it. */
    JsonNode packageAndWait(TestData.User user, UUID project) throws InterruptedException {
        Http.Response created = requestPackage(user, project);
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        return awaitJob(user, created.json().get("id").asString());
    }

    JsonNode awaitJob(TestData.User user, String jobId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = http.as(user).get("/api/v1/jobs/" + jobId + "/").json();
            String status = job.get("status").asString();
            if (status.equals("finished") || status.equals("failed")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not end within 120 s: " + job);
    }

    /** Waits until the project has no job waiting or running (e.g. the process_projectfile after an upload). */
    void awaitIdle(TestData.User manager, UUID project) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = http.as(manager).get("/api/v1/jobs/?project_id=" + project).json();
            boolean busy = false;
            for (JsonNode j : jobs) {
                String s = j.get("status").asString();
                busy |= s.equals("pending") || s.equals("queued") || s.equals("started");
            }
            if (!busy) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("project " + project + " still busy after 120 s");
    }

    Http.Response latest(TestData.User user, UUID project) {
        return http.as(user).get("/api/v1/packages/" + project + "/latest/");
    }

    byte[] download(TestData.User user, UUID project, String name) {
        Http.Response r = http.as(user).get("/api/v1/packages/" + project + "/latest/files/" + name + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.bytes();
    }

    /** Downloads the package's files into a directory, as QField does. */
    Path downloadAll(TestData.User user, UUID project, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (JsonNode file : latest(user, project).json().get("files")) {
            String name = file.get("name").asString();
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            Files.write(target, download(user, project, name));
        }
        return dir;
    }

    /** The .qgs inside a .qgz, as text. */
    static String qgsOf(byte[] qgz) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(qgz))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().endsWith(".qgs")) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no .qgs in the package's .qgz");
    }
}
