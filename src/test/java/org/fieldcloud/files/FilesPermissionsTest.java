package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows 19-22 of permissions.md for actors 1-11 and C as real HTTP requests, and the restricted-file rules
 * (QGIS file and sidecars, uploads and deletes) for every role.
 */
class FilesPermissionsTest extends ApiTest {

    private static final List<String> ACTORS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "C");
    private static final byte[] CONTENT = "permission test".getBytes(StandardCharsets.UTF_8);

    record Subject(Http http, UUID project, TestData.User owner) { }

    private final Map<String, Subject> actors = new LinkedHashMap<>();
    private TestData.Project orgProject;
    private TestData.Org org;

    @BeforeEach
    void actors() {
        TestData.User orgOwner = data.person("owner9");
        org = data.organization(orgOwner);
        orgProject = data.project(org);
        TestData.User personalOwner = data.person("owner3");
        UUID personal = data.project(personalOwner).id();
        actors.put("1", new Subject(http.as((String) null), orgProject.id(), orgOwner));
        actors.put("2", new Subject(http.as(data.person("stranger")), orgProject.id(), orgOwner));
        actors.put("3", new Subject(http.as(personalOwner), personal, personalOwner));
        String[] roles = {"admin", "manager", "editor", "reporter", "reader"};
        for (int i = 0; i < roles.length; i++) {
            TestData.User u = data.person(roles[i]);
            data.collaborator(orgProject, u, roles[i]);
            actors.put(Integer.toString(4 + i), new Subject(http.as(u), orgProject.id(), orgOwner));
        }
        actors.put("9", new Subject(http.as(orgOwner), orgProject.id(), orgOwner));
        actors.put("10", new Subject(http.as(orgMember("admin")), orgProject.id(), orgOwner));
        actors.put("11", new Subject(http.as(orgMember("member")), orgProject.id(), orgOwner));
        actors.put("C", new Subject(http.as(orgMember("creator")), orgProject.id(), orgOwner));
    }

    private TestData.User orgMember(String role) {
        TestData.User u = data.person("org" + role);
        data.member(org, u, role);
        return u;
    }

    @Test
    void row19ListAndDownload() {
        Map<String, Boolean> expected = row("❌ ❌ ✅ ✅ ✅ ✅ ✅ ✅ ✅ ✅ ❌ ❌");
        actors.forEach((actor, s) -> {
            ownerUpload(s, "read.txt");
            check(actor, expected.get(actor), s.http().get(files(s) + "read.txt/"), 200);
            check(actor, expected.get(actor), s.http().get(files(s)), 200);
            check(actor, expected.get(actor), s.http().get("/api/v1/files/metadata/" + s.project() + "/read.txt/"), 200);
        });
    }

    @Test
    void row20Upload() {
        Map<String, Boolean> expected = row("❌ ❌ ✅ ✅ ✅ ✅ ✅ ❌ ✅ ✅ ❌ ❌");
        actors.forEach((actor, s) -> check(actor, expected.get(actor),
                Multipart.upload(s.http(), s.project(), "up-" + actor + ".txt", CONTENT), 201));
    }

    @Test
    void row21DeleteFiles() {
        Map<String, Boolean> expected = row("❌ ❌ ✅ ✅ ✅ ✅ ❌ ❌ ✅ ✅ ❌ ❌");
        actors.forEach((actor, s) -> {
            String name = "del-" + actor + ".txt";
            ownerUpload(s, name);
            check(actor, expected.get(actor), s.http().delete(files(s) + name + "/"), 204);
            int status = http.as(s.owner()).get(files(s) + name + "/").status();
            assertThat(status).as("actor " + actor + ": file after delete").isEqualTo(expected.get(actor) ? 404 : 200);
        });
    }

    @Test
    void row22DeleteOldVersions() {
        Map<String, Boolean> expected = row("❌ ❌ ✅ ✅ ❌ ❌ ❌ ❌ ✅ ✅ ❌ ❌");
        actors.forEach((actor, s) -> {
            String name = "ver-" + actor + ".txt";
            ownerUpload(s, name);
            ownerUpload(s, name);
            String oldest = http.as(s.owner()).get("/api/v1/files/metadata/" + s.project() + "/" + name + "/")
                    .json().get("versions").get(1).get("version_id").asString();
            check(actor, expected.get(actor), s.http().delete(files(s) + name + "/?version=" + oldest), 204);
        });
    }

    @Test
    void restrictedFilesNeedAdminOrManagerForUploadsAndDeletes() {
        data.jdbc().sql("UPDATE projects SET has_restricted_projectfiles = true WHERE id = :p").param("p", orgProject.id()).update();
        Subject owner = actors.get("9");
        assertThat(Multipart.upload(owner.http(), orgProject.id(), "project.qgs", FileScenarios.resource("self_contained.qgs")).status()).isEqualTo(201);
        List<String> restricted = List.of("project.qgs", "project.qml", "project_attachments.zip", "sub/project.qgd");
        Map<String, String> outcome = Map.of("4", "ok", "5", "ok", "6", "restricted", "7", "restricted", "8", "permission_denied",
                "9", "ok", "10", "ok");
        outcome.forEach((actor, expected) -> {
            Http h = actors.get(actor).http();
            for (String name : restricted) {
                byte[] content = name.endsWith(".qgs") ? FileScenarios.resource("self_contained.qgs") : CONTENT;
                Http.Response r = Multipart.upload(h, orgProject.id(), name, content);
                expectOutcome("upload " + name + " by actor " + actor, r, expected, 201);
            }
            Http.Response other = Multipart.upload(h, orgProject.id(), "other-" + actor + ".txt", CONTENT);
            assertThat(other.status()).as("actor " + actor + " uploads an unrestricted file").isEqualTo(actor.equals("8") ? 403 : 201);
        });
        outcome.forEach((actor, expected) -> {
            if (!List.of("6", "4", "9").contains(actor)) return;
            Multipart.upload(owner.http(), orgProject.id(), "project.qml", CONTENT);
            expectOutcome("delete project.qml by actor " + actor, actors.get(actor).http().delete(files(owner) + "project.qml/"), expected, 204);
        });
        FileScenarios.assertError(actors.get("6").http().delete(files(owner) + "project.qgs/"), 403, "restricted_project_modification");
        data.jdbc().sql("UPDATE projects SET has_restricted_projectfiles = false WHERE id = :p").param("p", orgProject.id()).update();
        assertThat(Multipart.upload(actors.get("6").http(), orgProject.id(), "project.qgs", FileScenarios.resource("self_contained.qgs")).status())
                .as("editor without the restriction").isEqualTo(201);
        Multipart.upload(owner.http(), orgProject.id(), "project.qml", CONTENT);
        assertThat(actors.get("6").http().delete(files(owner) + "project.qml/").status()).as("editor deletes the sidecar without the restriction")
                .isEqualTo(204);
    }

    private static void expectOutcome(String what, Http.Response r, String expected, int okStatus) {
        switch (expected) {
            case "ok" -> assertThat(r.status()).as(what + ": " + r).isEqualTo(okStatus);
            case "restricted" -> FileScenarios.assertError(r, 403, "restricted_project_modification");
            default -> FileScenarios.assertError(r, 403, "permission_denied");
        }
    }

    private void ownerUpload(Subject s, String name) {
        assertThat(Multipart.upload(http.as(s.owner()), s.project(), name, CONTENT).status()).isEqualTo(201);
    }

    private static String files(Subject s) {
        return "/api/v1/files/" + s.project() + "/";
    }

    private static void check(String actor, boolean allowed, Http.Response r, int okStatus) {
        int denied = actor.equals("1") ? 401 : 403;
        assertThat(r.status()).as("actor " + actor + ": " + r).isEqualTo(allowed ? okStatus : denied);
        if (!allowed) {
            assertThat(r.json().get("code").asString()).isEqualTo(actor.equals("1") ? "not_authenticated" : "permission_denied");
        }
    }

    private static Map<String, Boolean> row(String cells) {
        String[] c = cells.split(" ");
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (int i = 0; i < ACTORS.size(); i++) {
            m.put(ACTORS.get(i), c[i].equals("✅"));
        }
        return m;
    }
}
