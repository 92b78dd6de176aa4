package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/** Bad input on the projects and collaborators APIs: always a 400 naming the field, never a 500, nothing stored. */
class ProjectsBadInputTest extends ApiTest {

    @Test
    void projectCreationRejectsBadBodies() {
        TestData.User alice = data.person("alice");
        assertBad(http.as(alice).raw("POST", "/api/v1/projects/", "application/json", "{\"name\": "), "JSON");
        assertBad(http.as(alice).raw("POST", "/api/v1/projects/", "application/json", "[1,2]"), "object");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of()), "'name'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", 42)), "'name'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "x".repeat(300))), "'name'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "has space")), "'name'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ü")), "'name'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "is_public", "perhaps")), "'is_public'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "private", 3)), "'private'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "project_type", "shared_datasets")), "'project_type'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "description", Map.of("a", 1))), "'description'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "owner", 7)), "'owner'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "owner", " ")), "'owner'");
        assertBad(http.as(alice).post("/api/v1/projects/", Map.of("name", "ok-name", "clone_from_project", "x")), "'clone_from_project'");
        assertBad(http.as(alice).form("POST", "/api/v1/projects/", Map.of("name", "a/b")), "'name'");
        assertThat(count("SELECT count(*) FROM projects WHERE owner_id = :u", alice.id())).isZero();
    }

    @Test
    void projectUpdateRejectsBadBodiesAndKeepsTheProject() {
        TestData.User alice = data.person("alice");
        TestData.Project p = data.project(alice);
        String path = "/api/v1/projects/" + p.id() + "/";
        assertBad(http.as(alice).raw("PATCH", path, "application/json", "{not json"), "JSON");
        assertBad(http.as(alice).patch(path, Map.of("name", "y".repeat(300))), "'name'");
        assertBad(http.as(alice).patch(path, Map.of("overwrite_conflicts", "sometimes")), "'overwrite_conflicts'");
        assertBad(http.as(alice).patch(path, Map.of("is_featured", java.util.List.of(true))), "'is_featured'");
        Http.Response malformedId = http.as(alice).patch("/api/v1/projects/not-a-uuid/", Map.of("name", "x"));
        assertThat(malformedId.status()).isEqualTo(400);
        assertThat(malformedId.json().get("code").asString()).isEqualTo("validation_error");
        assertThat(http.as(alice).get(path).json().get("name").asString()).isEqualTo(p.name());
    }

    @Test
    void collaboratorCreationRejectsBadBodies() {
        TestData.User owner = data.person("owner");
        TestData.User other = data.person("other");
        TestData.Project p = data.project(owner);
        String path = "/api/v1/collaborators/" + p.id() + "/";
        assertBad(http.as(owner).raw("POST", path, "application/json", "{\"collaborator\": \"x\""), "JSON");
        assertBad(http.as(owner).post(path, Map.of()), "'collaborator'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", "")), "'collaborator'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", 5)), "'collaborator'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", other.username(), "role", "owner")), "'role'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", other.username(), "role", 1)), "'role'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", "u".repeat(300))), "'collaborator'");
        assertBad(http.as(owner).post(path, Map.of("collaborator", other.username(), "is_incognito", "sure")), "'is_incognito'");
        assertBad(http.as(owner).patch(path + other.username() + "/", Map.of("role", "superuser")), "'role'");
        assertThat(count("SELECT count(*) FROM project_collaborators WHERE project_id = (SELECT id FROM projects WHERE owner_id = :u)", owner.id())).isZero();

        data.collaborator(p, other, "reader");
        assertBad(http.as(owner).patch(path + other.username() + "/", Map.of("role", "superuser")), "'role'");
        assertThat(http.as(owner).get(path + other.username() + "/").json().get("role").asString()).isEqualTo("reader");
    }

    private long count(String sql, long user) {
        return data.jdbc().sql(sql).param("u", user).query(Long.class).single();
    }

    private static void assertBad(Http.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).as(r.toString()).contains(field);
    }
}
