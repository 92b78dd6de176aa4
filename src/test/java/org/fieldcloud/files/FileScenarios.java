package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;

/**
 * The file scenarios of reference-api-jobs §7.1, run against every storage backend: each implementing test class
 * brings its own server (local disk or S3) and says how to look at the stored blobs.
 */
interface FileScenarios {

    Http http();

    TestData data();

    ConfigurableApplicationContext context();

    /** Keys of the blobs stored under a prefix, whatever the backend. */
    List<String> blobKeys(String prefix) throws Exception;

    record Fixture(TestData.User owner, UUID project) {
        String files() {
            return "/api/v1/files/" + project + "/";
        }
    }

    default Fixture project() {
        TestData.User owner = data().person("files");
        return new Fixture(owner, data().project(owner).id());
    }

    default Http as(TestData.User user) {
        return http().as(user);
    }

    static byte[] resource(String name) {
        try (InputStream in = FileScenarios.class.getResourceAsStream("/files/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The S3 ETag rule computed independently of the server's streaming implementation. */
    static String expectedEtag(byte[] bytes) throws Exception {
        int part = 8 * 1024 * 1024;
        if (bytes.length <= part) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        }
        MessageDigest outer = MessageDigest.getInstance("MD5");
        int parts = 0;
        for (int off = 0; off < bytes.length; off += part) {
            outer.update(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + part))));
            parts++;
        }
        return HexFormat.of().formatHex(outer.digest()) + "-" + parts;
    }

    default JsonNode listing(Fixture f) {
        Http.Response r = as(f.owner()).get(f.files());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    default JsonNode projectRow(Fixture f) {
        return data().jdbc().sql("SELECT row_to_json(p)::text FROM projects p WHERE id = :id").param("id", f.project())
                .query(String.class).single().transform(Http.JSON::readTree);
    }

    default Http.Response upload(Fixture f, String name, byte[] content) {
        return Multipart.upload(as(f.owner()), f.project(), name, content);
    }

    default void created(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    default void uploadListsNameSizeHashesAndLocation() throws Exception {
        Fixture f = project();
        Http.Response r = upload(f, "file.txt", resource("file.txt"));
        created(r);
        assertThat(r.json().isEmpty()).isTrue();
        assertThat(r.header("Location")).isEqualTo("/api/v1/files/" + f.project() + "/file.txt/");
        created(upload(f, "file2.txt", resource("file2.txt")));
        JsonNode list = listing(f);
        assertThat(list).hasSize(2);
        JsonNode file = list.get(0);
        assertThat(file.get("name").asString()).isEqualTo("file.txt");
        assertThat(file.get("size").asLong()).isEqualTo(13);
        assertThat(file.get("sha256").asString()).isEqualTo("8663bab6d124806b9727f89bb4ab9db4cbcc3862f6bbf22024dfa7212aa4ab7d");
        assertThat(file.get("md5sum").asString()).isEqualTo("9af2f8218b150c351ad802c6f3d66abe");
        assertThat(file.get("is_attachment").asBoolean()).isFalse();
        assertThat(file.get("last_modified").asString()).matches("\\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(file.get("versions")).hasSize(1);
        assertThat(file.get("versions").get(0).get("display").asString()).matches("v\\d{14}");
        assertThat(list.get(1).get("sha256").asString()).isEqualTo("fcc85fb502bd772aa675a0263b5fa665bccd5d8d93349d1dbc9f0f6394dd37b9");
        assertThat(list.get(1).get("md5sum").asString()).isEqualTo("3bf4cfdddae3137d565094635a8ebcc9");
        Http.Response meta = as(f.owner()).get("/api/v1/files/metadata/" + f.project() + "/file2.txt/");
        assertThat(meta.json().get("sha256").asString()).isEqualTo(list.get(1).get("sha256").asString());
        assertThat(as(f.owner()).get("/api/v1/files/metadata/" + f.project() + "/nope.txt/").status()).isEqualTo(404);
        assertThat(as(f.owner()).get(f.files() + "?limit=1").header("X-Total-Count")).isEqualTo("2");
        assertThat(as(f.owner()).get("/api/v1/files/" + f.project()).json()).isEqualTo(list);
        assertThat(as(f.owner()).get(f.files() + "file.txt").bytes()).isEqualTo(resource("file.txt"));
        assertThat(as(f.owner()).get("/api/v1/files/" + UUID.randomUUID() + "/").status()).isEqualTo(404);
        assertThat(Multipart.upload(as(f.owner()), UUID.randomUUID(), "a.txt", resource("file.txt")).status()).isEqualTo(404);
        JsonNode p = projectRow(f);
        assertThat(p.get("data_last_updated_at").isNull()).isFalse();
        assertThat(p.get("restricted_data_last_updated_at").isNull()).isTrue();
        created(upload(f, "p.qgs", resource("self_contained.qgs")));
        assertThat(projectRow(f).get("restricted_data_last_updated_at").isNull()).isFalse();
    }

    @Test
    default void orphanedBlobsAreSwept() throws Exception {
        Fixture f = project();
        Blobs blobs = context().getBean(Blobs.class);
        String stale = "projects/" + f.project() + "/files/" + UUID.randomUUID();
        String fresh = "projects/" + f.project() + "/files/" + UUID.randomUUID();
        blobs.registerPending(stale);
        blobs.registerPending(fresh);
        blobs.store().write(stale, new java.io.ByteArrayInputStream(new byte[10]));
        blobs.store().write(fresh, new java.io.ByteArrayInputStream(new byte[10]));
        data().jdbc().sql("UPDATE orphan_blobs SET not_before = now() - interval '1 minute' WHERE storage_key = :k").param("k", stale).update();
        blobs.sweep();
        assertThat(blobKeys("projects/" + f.project() + "/")).containsExactly(fresh);
        assertThat(pendingUploads(f)).isEqualTo(1);
        blobs.discard(fresh);
        assertThat(blobKeys("projects/" + f.project() + "/")).isEmpty();
        assertThat(pendingUploads(f)).isZero();
    }

    @Test
    default void sameNameTwiceKeepsBothVersionsAndServesOldOnes() {
        Fixture f = project();
        created(upload(f, "file.txt", resource("file.txt")));
        created(upload(f, "file.txt", resource("file2.txt")));
        JsonNode list = listing(f);
        assertThat(list).hasSize(1);
        JsonNode versions = list.get(0).get("versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("is_latest").asBoolean()).isTrue();
        assertThat(versions.get(1).get("is_latest").asBoolean()).isFalse();
        assertThat(projectRow(f).get("file_storage_bytes").asLong()).isEqualTo(26);
        assertThat(data().jdbc().sql("SELECT file_storage_bytes FROM projects WHERE owner_id = :o").param("o", f.owner().id())
                .query(Long.class).single()).isEqualTo(26);
        String oldest = versions.get(1).get("version_id").asString();
        Http.Response old = as(f.owner()).get(f.files() + "file.txt/?version=" + oldest);
        assertThat(old.bytes()).isEqualTo(resource("file.txt"));
        assertThat(as(f.owner()).get(f.files() + "file.txt/").bytes()).isEqualTo(resource("file2.txt"));
    }

    @Test
    default void subDirectoriesSpacesAndNonAsciiNames() {
        Fixture f = project();
        created(upload(f, "foo/bar/file.txt", resource("file.txt")));
        Http.Response r = as(f.owner()).get(f.files() + "foo/bar/file.txt/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(resource("file.txt"));
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"file.txt\"");
        created(upload(f, "aaa bbb/project qgis 1.2.qgs", resource("self_contained.qgs")));
        assertThat(projectRow(f).get("the_qgis_file_name").asString()).isEqualTo("aaa bbb/project qgis 1.2.qgs");
        String unicode = "Données/Здравей свят.txt";
        byte[] hello = "Здравей, свят!".getBytes(StandardCharsets.UTF_8);
        created(upload(f, unicode, hello));
        Http.Response u = as(f.owner()).get(FilesController.location(f.project(), unicode));
        assertThat(u.bytes()).isEqualTo(hello);
        assertThat(u.header("Content-Disposition")).contains("filename*=UTF-8''");
        assertThat(listing(f).findValues("name").stream().map(JsonNode::asString))
                .contains(unicode, "foo/bar/file.txt");
    }

    @Test
    default void badInputIsRefusedWithReferenceCodesAndNothingIsStored() throws Exception {
        Fixture f = project();
        Http owner = as(f.owner());
        byte[] x = "x".getBytes(StandardCharsets.UTF_8);
        assertError(Multipart.post(owner, f.files() + "a.txt/", List.of(new Multipart.Part("file", "a", x), new Multipart.Part("file", "b", x))),
                400, "multiple_contents");
        assertError(Multipart.post(owner, f.files() + "a.txt/", List.of(new Multipart.Part("wrong", "a", x))), 400, "empty_content");
        assertError(Multipart.post(owner, f.files() + "a.txt/", List.of()), 400, "empty_content");
        assertError(owner.post(f.files() + "a.txt/", java.util.Map.of("file", "x")), 400, "empty_content");
        for (String bad : List.of(" whitespace around ", "x".repeat(256), "NUL/file.name", "a/../b.txt", "a/./b.txt", "a:b.txt", "a//b", "a\tb")) {
            Http.Response r = Multipart.upload(owner, f.project(), bad, x);
            assertThat(r.status()).as("'" + bad + "' -> " + r).isEqualTo(400);
            assertError(r, 400, "validation_error");
        }
        byte[] oneFile = Multipart.body(List.of(new Multipart.Part("file", "x", x)));
        for (String path : List.of("../x/", "%2E%2E/x/", "a/%2e%2e/%2e%2e/x/", "..%2Fx/", "")) {
            Http.Response r = owner.send("POST", f.files() + path, Multipart.CONTENT_TYPE, java.net.http.HttpRequest.BodyPublishers.ofByteArray(oneFile));
            assertThat(r.status()).as("'" + path + "' -> " + r).isEqualTo(400);
            // An encoded slash is refused by the servlet container itself, in the same envelope.
            assertError(r, 400, "validation_error");
        }
        assertError(upload(f, "broken.qgs", "Hello!".getBytes(StandardCharsets.UTF_8)), 400, "invalid_qgis_project_file");
        assertError(upload(f, "empty.qgs", new byte[0]), 400, "invalid_qgis_project_file");
        assertError(upload(f, "empty.qgz", new byte[0]), 400, "invalid_qgis_project_file");
        assertError(upload(f, "notzip.qgz", resource("self_contained.qgs")), 400, "invalid_qgis_project_file");
        assertError(upload(f, "xxe.qgs", ("<?xml version=\"1.0\"?><!DOCTYPE qgis [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<qgis version=\"&e;\"/>").getBytes(StandardCharsets.UTF_8)), 400, "invalid_qgis_project_file");
        assertError(upload(f, "bomb.qgz", zip("other.txt", new byte[50 * 1024 * 1024])), 400, "invalid_qgis_project_file");
        assertThat(listing(f)).isEmpty();
        assertThat(blobKeys("projects/" + f.project() + "/")).isEmpty();
        created(upload(f, "x".repeat(255), x));
        created(upload(f, "empty.txt", new byte[0]));
        Http.Response empty = owner.get(f.files() + "empty.txt/");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.bytes()).isEmpty();
        assertThat(find(listing(f), "empty.txt").get("md5sum").asString()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        created(upload(f, "project.qgs", resource("self_contained.qgs")));
        assertError(upload(f, "second.qgs", resource("self_contained.qgs")), 400, "multiple_projects");
        assertThat(listing(f)).hasSize(3);
        // Project files only: the project file's processing job may meanwhile have stored a thumbnail under meta/.
        assertThat(blobKeys("projects/" + f.project() + "/files/")).hasSize(3);
    }

    @Test
    default void oneQgisFilePerProjectAndItsVersion() throws Exception {
        Fixture f = project();
        created(upload(f, "foo/bar/file.qgs", resource("self_contained.qgs")));
        JsonNode p = projectRow(f);
        assertThat(p.get("the_qgis_file_name").asString()).isEqualTo("foo/bar/file.qgs");
        assertThat(p.get("qgis_version").asString()).isEqualTo("3.44.7");
        created(upload(f, "foo/bar/file.qgs", qgs("3.46.1-Bratislava")));
        assertThat(projectRow(f).get("qgis_version").asString()).isEqualTo("3.46.1");
        assertError(upload(f, "foo/bar/file2.qgs", resource("self_contained.qgs")), 400, "multiple_projects");
        assertError(upload(f, "foo/bar/file.qgz", zip("file.qgs", resource("self_contained.qgs"))), 400, "multiple_projects");
        String latest = listing(f).get(0).get("versions").get(0).get("version_id").asString();
        assertThat(as(f.owner()).delete(f.files() + "foo/bar/file.qgs/?version=" + latest).status()).isEqualTo(204);
        assertThat(projectRow(f).get("qgis_version").asString()).isEqualTo("3.44.7");
        assertThat(as(f.owner()).delete(f.files() + "foo/bar/file.qgs/").status()).isEqualTo(204);
        p = projectRow(f);
        assertThat(p.get("the_qgis_file_name").isNull()).isTrue();
        assertThat(p.get("qgis_version").isNull()).isTrue();
        created(upload(f, "packed.qgz", zip("packed.qgs", qgs("3.40.0"))));
        assertThat(projectRow(f).get("qgis_version").asString()).isEqualTo("3.40.0");
    }

    @Test
    default void versionDeletion() throws Exception {
        Fixture f = project();
        for (String content : List.of("one", "two", "three")) {
            created(upload(f, "v.txt", content.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode versions = listing(f).get(0).get("versions");
        String newest = versions.get(0).get("version_id").asString();
        String middle = versions.get(1).get("version_id").asString();
        String oldest = versions.get(2).get("version_id").asString();
        assertThat(blobKeys("projects/" + f.project() + "/")).hasSize(3);
        assertThat(as(f.owner()).delete(f.files() + "v.txt/?version=" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(as(f.owner()).delete(f.files() + "v.txt/?version=" + oldest).status()).isEqualTo(204);
        assertThat(blobKeys("projects/" + f.project() + "/")).hasSize(2).noneMatch(k -> k.endsWith(oldest));
        assertThat(as(f.owner()).header("x-file-version", newest).delete(f.files() + "v.txt/").status()).isEqualTo(204);
        JsonNode file = listing(f).get(0);
        assertThat(file.get("versions")).hasSize(1);
        assertThat(file.get("versions").get(0).get("version_id").asString()).isEqualTo(middle);
        assertThat(as(f.owner()).get(f.files() + "v.txt/").text()).isEqualTo("two");
        assertError(as(f.owner()).delete(f.files() + "v.txt/?version=" + middle), 400, "explicit_deletion_of_last_version");
        assertThat(as(f.owner()).delete(f.files() + "nope.txt/").status()).isEqualTo(404);
        assertThat(as(f.owner()).delete(f.files() + "v.txt/").status()).isEqualTo(204);
        assertThat(listing(f)).isEmpty();
        assertThat(blobKeys("projects/" + f.project() + "/")).isEmpty();
        assertThat(projectRow(f).get("file_storage_bytes").asLong()).isZero();
    }

    @Test
    default void purgeKeepsThePlansNumberOfVersions() {
        Fixture f = project();
        Fixture other = new Fixture(f.owner(), data().project(f.owner()).id());
        created(upload(other, "keep.txt", "other".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 20; i++) {
            created(upload(f, "v.txt", ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(listing(f).get(0).get("versions")).hasSize(10);
        assertThat(as(f.owner()).get(f.files() + "v.txt/?version="
                + listing(f).get(0).get("versions").get(9).get("version_id").asString()).text()).isEqualTo("v10");
        long plan = data().jdbc().sql("""
                INSERT INTO plans (code, display_name, user_type, storage_keep_versions, is_premium)
                VALUES (:c, 'keep 3', 1, 3, false) RETURNING id""").param("c", TestData.unique("keep3")).query(Long.class).single();
        data().jdbc().sql("UPDATE users SET plan_id = :p WHERE id = :u").param("p", plan).param("u", f.owner().id()).update();
        created(upload(f, "v.txt", "v20".getBytes(StandardCharsets.UTF_8)));
        JsonNode versions = listing(f).get(0).get("versions");
        assertThat(versions.findValues("display")).hasSize(3);
        assertThat(as(f.owner()).get(f.files() + "v.txt/?version=" + versions.get(2).get("version_id").asString()).text()).isEqualTo("v18");
        assertThat(listing(other).get(0).get("versions")).hasSize(1);
        assertThat(projectRow(f).get("file_storage_bytes").asLong()).isEqualTo(9);
    }

    @Test
    default void etagsFollowTheS3Rule() throws Exception {
        Fixture f = project();
        created(upload(f, "hello.txt", "Hello!".getBytes(StandardCharsets.UTF_8)));
        byte[] tenMillionX = new byte[10_000_000];
        Arrays.fill(tenMillionX, (byte) 'x');
        created(upload(f, "x.bin", tenMillionX));
        byte[] twenty = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(twenty);
        created(upload(f, "random.bin", twenty));
        created(upload(f, "hello-bg.txt", "Здравей, свят!".getBytes(StandardCharsets.UTF_8)));
        JsonNode list = listing(f);
        JsonNode hello = find(list, "hello.txt");
        assertThat(hello.get("md5sum").asString()).isEqualTo("952d2c56d0485958336747bcdd98590d");
        assertThat(hello.get("sha256").asString()).startsWith("334d016f").endsWith("87b7");
        JsonNode x = find(list, "x.bin");
        assertThat(x.get("md5sum").asString()).isEqualTo("1e762c1c6ca960a51ce95942752cf1f6-2");
        assertThat(x.get("sha256").asString()).startsWith("0c9a42b3").endsWith("998c");
        JsonNode random = find(list, "random.bin");
        assertThat(random.get("md5sum").asString()).isEqualTo(expectedEtag(twenty)).endsWith("-3");
        assertThat(random.get("sha256").asString()).isEqualTo(sha256(twenty));
        assertThat(find(list, "hello-bg.txt").get("size").asLong()).isEqualTo(25);
        Http.Response download = as(f.owner()).get(f.files() + "random.bin/");
        assertThat(download.header("ETag")).isEqualTo("\"" + expectedEtag(twenty) + "\"");
        assertThat(sha256(download.bytes())).isEqualTo(sha256(twenty));
    }

    @Test
    default void rangesConditionalRequestsAndHead() {
        Fixture f = project();
        byte[] content = resource("file.txt");
        created(upload(f, "file.txt", content));
        Http owner = as(f.owner());
        String path = f.files() + "file.txt/";
        record Case(String range, int from, int to) { }
        for (Case c : List.of(new Case("bytes=0-2", 0, 2), new Case("bytes=5-8", 5, 8), new Case("bytes=7-", 7, 12), new Case("bytes=0-", 0, 12))) {
            Http.Response r = owner.header("Range", c.range()).get(path);
            assertThat(r.status()).as(c.range()).isEqualTo(206);
            assertThat(r.bytes()).isEqualTo(Arrays.copyOfRange(content, c.from(), c.to() + 1));
            assertThat(r.header("Content-Range")).isEqualTo("bytes " + c.from() + "-" + c.to() + "/13");
            assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        }
        for (String bad : List.of("bytes=abc-", "bytes=-def", "bytes=-1-", "bytes=1-55", "bytes=-5", "bytes=13-")) {
            assertError(owner.header("Range", bad).get(path), 416, "invalid_http_range");
        }
        Http.Response notModified = owner.header("If-None-Match", "\"9af2f8218b150c351ad802c6f3d66abe\"").get(path);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.bytes()).isEmpty();
        assertThat(owner.header("If-None-Match", "\"other\"").get(path).status()).isEqualTo(200);
        Http.Response head = owner.send("HEAD", path, null, (String) null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("13");
        assertThat(head.bytes()).isEmpty();
    }

    @Test
    default void attachmentsAndTheProcessingHook() {
        Fixture f = project();
        List<ProjectFileUploaded> events = new CopyOnWriteArrayList<>();
        ApplicationListener<PayloadApplicationEvent<ProjectFileUploaded>> listener = e -> {
            if (e.getPayload().projectId().equals(f.project())) events.add(e.getPayload());
        };
        context().addApplicationListener(listener);
        try {
            created(upload(f, "DCIM/2.jpg", resource("DCIM-2.jpg")));
            created(upload(f, "notes.txt", resource("file.txt")));
            created(upload(f, "project.qgs", resource("self_contained.qgs")));
            created(upload(f, "data.csv", resource("file.txt")));
            created(upload(f, "DCIM/3.jpg", resource("DCIM-2.jpg")));
        } finally {
            context().removeApplicationListener(listener);
        }
        assertThat(find(listing(f), "DCIM/2.jpg").get("is_attachment").asBoolean()).isTrue();
        assertThat(events).extracting(ProjectFileUploaded::filename).containsExactly("DCIM/2.jpg", "notes.txt", "project.qgs", "data.csv", "DCIM/3.jpg");
        assertThat(events).extracting(ProjectFileUploaded::triggersProcessing).containsExactly(false, false, true, true, false);
        assertThat(events).extracting(ProjectFileUploaded::isQgisFile).containsExactly(false, false, true, false, false);
        assertThat(events).allMatch(e -> e.userId() == f.owner().id());
    }

    @Test
    default void thumbnails() throws Exception {
        Fixture f = project();
        assertThat(as(f.owner()).get("/api/v1/files/thumbnails/" + f.project() + "/").status()).isEqualTo(404);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        String path = "/api/v1/projects/" + f.project() + "/thumbnail/";
        assertError(Multipart.post(as(f.owner()), path, List.of(new Multipart.Part("thumbnail", "t.png", "nope".getBytes()))), 400, "validation_error");
        assertError(Multipart.post(as(f.owner()), path, List.of(new Multipart.Part("file", "t.png", png.toByteArray()))), 400, "empty_content");
        assertThat(Multipart.post(as(f.owner()), path, List.of(new Multipart.Part("thumbnail", "t.png", png.toByteArray()))).status()).isEqualTo(204);
        assertThat(Multipart.post(as(f.owner()), path, List.of(new Multipart.Part("thumbnail", "t.png", png.toByteArray()))).status()).isEqualTo(204);
        Http.Response r = as(f.owner()).get("/api/v1/files/thumbnails/" + f.project() + "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(png.toByteArray());
        assertThat(r.header("Content-Disposition")).contains("thumbnail.png");
        assertThat(r.header("Content-Type")).isEqualTo("image/png");
        assertThat(blobKeys("projects/" + f.project() + "/meta/")).hasSize(1);

        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", jpeg);
        assertThat(Multipart.post(as(f.owner()), path, List.of(new Multipart.Part("thumbnail", "t.jpg", jpeg.toByteArray()))).status()).isEqualTo(204);
        Http.Response j = as(f.owner()).get("/api/v1/files/thumbnails/" + f.project() + "/");
        assertThat(j.bytes()).isEqualTo(jpeg.toByteArray());
        assertThat(j.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(j.header("Content-Disposition")).contains("thumbnail.jpg");
    }

    @Test
    default void quotaRefusesUploadsExceptFromQfieldAndWorkers() {
        Fixture f = project();
        long plan = data().jdbc().sql("""
                INSERT INTO plans (code, display_name, user_type, storage_quota_bytes, is_premium)
                VALUES (:c, 'tiny', 1, 20, false) RETURNING id""").param("c", TestData.unique("tiny")).query(Long.class).single();
        data().jdbc().sql("UPDATE users SET plan_id = :p WHERE id = :u").param("p", plan).param("u", f.owner().id()).update();
        created(upload(f, "a.txt", resource("file.txt")));
        assertError(upload(f, "b.txt", resource("file2.txt")), 402, "over_quota");
        var tokens = context().getBean(org.fieldcloud.accounts.Tokens.class);
        String qfield = tokens.issue(f.owner().id(), "qfield|3.5.0|android").key();
        String worker = tokens.issue(f.owner().id(), "fieldcloud-test-worker").key();
        data().jdbc().sql("UPDATE auth_tokens SET client_type = 'worker' WHERE user_id = :u AND user_agent = 'fieldcloud-test-worker'")
                .param("u", f.owner().id()).update();
        String qfieldSync = tokens.issue(f.owner().id(), "Mozilla/5.0 QGIS/34400").key();
        created(Multipart.upload(http().as(qfield), f.project(), "c.txt", resource("file2.txt")));
        assertError(Multipart.upload(http().as(qfieldSync), f.project(), "d.txt", resource("file2.txt")), 402, "over_quota");
        created(Multipart.upload(http().as(worker), f.project(), "e.txt", resource("file2.txt")));
        assertThat(listing(f).findValues("name").stream().map(JsonNode::asString)).doesNotContain("b.txt", "d.txt");
    }

    @Test
    default void anUploadCutOffHalfWayChangesNothing() throws Exception {
        Fixture f = project();
        created(upload(f, "cut.txt", resource("file.txt")));
        JsonNode before = listing(f);
        URIParts base = URIParts.of(http().base());
        try (Socket socket = new Socket(base.host(), base.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] head = Multipart.head("file", "cut.txt");
            long declared = head.length + 20_000_000L + Multipart.tail().length + 2;
            out.write(("POST /api/v1/files/" + f.project() + "/cut.txt/ HTTP/1.1\r\nHost: " + base.host() + "\r\n"
                    + "Authorization: Token " + f.owner().token() + "\r\nContent-Type: " + Multipart.CONTENT_TYPE + "\r\n"
                    + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(new byte[10_000_000]);
            out.flush();
            assertThat(awaitPendingUploads(f, 1)).as("the server is receiving the upload when the client goes away").isOne();
        }
        assertThat(awaitPendingUploads(f, 0)).as("the cut-off upload's blob is discarded").isZero();
        assertThat(listing(f)).isEqualTo(before);
        assertThat(as(f.owner()).get(f.files() + "cut.txt/").bytes()).isEqualTo(resource("file.txt"));
        assertThat(blobKeys("projects/" + f.project() + "/")).hasSize(1);
    }

    /** Waits (bounded) until the project has {@code expected} uploads in flight, as the database records them. */
    default long awaitPendingUploads(Fixture f, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (pendingUploads(f) != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return pendingUploads(f);
    }

    /** D10.6 (security item 6d): the quota was checked only after a chunked upload had been written whole. */
    @Test
    default void quotaIsEnforcedWhileAChunkedUploadStreams() throws Exception {
        Fixture f = project();
        long plan = data().jdbc().sql("""
                INSERT INTO plans (code, display_name, user_type, storage_quota_bytes, is_premium)
                VALUES (:c, 'small', 1, 1048576, false) RETURNING id""").param("c", TestData.unique("small")).query(Long.class).single();
        data().jdbc().sql("UPDATE users SET plan_id = :p WHERE id = :u").param("p", plan).param("u", f.owner().id()).update();
        created(upload(f, "grow.bin", resource("file.txt")));
        JsonNode before = listing(f);
        URIParts base = URIParts.of(http().base());
        String answer;
        try (org.fieldcloud.support.RawHttp raw = new org.fieldcloud.support.RawHttp(base.port())) {
            raw.head("POST /api/v1/files/" + f.project() + "/grow.bin/ HTTP/1.1\r\nHost: " + base.host()
                    + "\r\nAuthorization: Token " + f.owner().token() + "\r\nContent-Type: " + Multipart.CONTENT_TYPE
                    + "\r\nTransfer-Encoding: chunked");
            raw.chunk(Multipart.head("file", "grow.bin"));
            for (int i = 0; i < 3; i++) {
                raw.chunk(new byte[512 * 1024]);
            }
            answer = raw.answer(java.time.Duration.ofSeconds(10));
        }
        assertThat(answer).as("refused while streaming, without waiting for the end of the body").isNotNull();
        assertThat(answer).startsWith("HTTP/1.1 402").contains("over_quota").contains("bytes free");
        assertThat(awaitPendingUploads(f, 0)).as("the refused upload's blob is discarded").isZero();
        assertThat(listing(f)).isEqualTo(before);
        assertThat(as(f.owner()).get(f.files() + "grow.bin/").bytes()).isEqualTo(resource("file.txt"));
        assertThat(blobKeys("projects/" + f.project() + "/")).hasSize(1);
    }

    /** D10.6 (security item 6e): a .qgs of any size was parsed into one DOM tree. */
    @Test
    default void qgisProjectFilesBeyondTheConfiguredBoundAreRefusedBeforeParsing() throws Exception {
        Fixture f = project();
        long max = org.fieldcloud.support.ApiTest.QGIS_MAX_PROJECT_FILE_BYTES;
        byte[] big = bigQgs(max + 100_000);
        Http.Response qgs = upload(f, "big.qgs", big);
        assertError(qgs, 413, "validation_error");
        assertThat(qgs.json().get("message").asString()).contains("big.qgs").contains(max + " bytes");
        Http.Response qgz = upload(f, "big.qgz", zip("big.qgs", big));
        assertError(qgz, 413, "validation_error");
        assertThat(qgz.json().get("message").asString()).contains("big.qgz").contains("uncompressed");
        assertThat(listing(f)).isEmpty();
        assertThat(blobKeys("projects/" + f.project() + "/")).isEmpty();
        created(upload(f, "fits.qgs", bigQgs(max - 1000)));
    }

    /** A valid project padded with random (hardly compressible) text to about {@code size} bytes. */
    static byte[] bigQgs(long size) {
        byte[] noise = new byte[(int) (size * 3 / 4)];
        new java.util.Random(size).nextBytes(noise);
        String padding = java.util.Base64.getEncoder().encodeToString(noise);
        String xml = "<qgis version=\"3.34.0-Prizren\" projectname=\"\">\n<!-- " + padding.substring(0, (int) size - 100) + " -->\n</qgis>\n";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    default long pendingUploads(Fixture f) {
        return data().jdbc().sql("SELECT count(*) FROM orphan_blobs WHERE storage_key LIKE :k")
                .param("k", "projects/" + f.project() + "/%").query(Long.class).single();
    }

    record URIParts(String host, int port) {
        static URIParts of(String base) {
            java.net.URI u = java.net.URI.create(base);
            return new URIParts(u.getHost(), u.getPort());
        }
    }

    static JsonNode find(JsonNode list, String name) {
        List<JsonNode> found = new ArrayList<>();
        list.forEach(n -> { if (n.get("name").asString().equals(name)) found.add(n); });
        assertThat(found).as(name).hasSize(1);
        return found.getFirst();
    }

    static void assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().has("code")).as(r.toString()).isTrue();
        assertThat(r.json().get("code").asString()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().get("message").asString()).isNotBlank();
    }

    static byte[] qgs(String version) {
        return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"" + version + "\" projectname=\"\">\n</qgis>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] zip(String entry, byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
