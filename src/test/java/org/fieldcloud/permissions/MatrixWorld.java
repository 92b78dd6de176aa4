package org.fieldcloud.permissions;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;

/**
 * The fixture of one permission cell, built fresh so that a cell that deletes or transfers something never
 * affects another. Persons (expensive: password hashing) are made once and reused; each world makes its own
 * organization, team and projects around them:
 * a private personal project owned by actor 3 (reader collaborator 8), and a private organization project
 * (owner 9, admin 10, member 11, creator C, spare member M) with collaborators 4–8 holding their role directly.
 */
final class MatrixWorld {

    /** The persons playing the matrix's actors, shared by all worlds. */
    record Cast(Map<String, TestData.User> byActor, TestData.User spare) {

        static Cast create(TestData data) {
            Map<String, TestData.User> users = new java.util.LinkedHashMap<>();
            for (String actor : List.of("2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "C")) {
                users.put(actor, data.person("actor" + actor.toLowerCase()));
            }
            return new Cast(users, data.person("spare"));
        }
    }

    /** Variations of the world for the notes of permissions.md. */
    record Options(boolean publicProject, String defaultRole, boolean projectCreatedByCreator) {
        static final Options BASE = new Options(false, null, false);
    }

    static final Map<String, String> COLLABORATOR_ROLES = Map.of("4", "admin", "5", "manager", "6", "editor", "7", "reporter", "8", "reader");

    final TestData data;
    final Http http;
    final Cast cast;
    final TestData.Org org;
    final TestData.Team team;
    final TestData.Project personalProject;
    final TestData.Project orgProject;

    MatrixWorld(TestData data, Http http, Cast cast, Options options) {
        this.data = data;
        this.http = http;
        this.cast = cast;
        this.org = data.organization(user("9"));
        data.member(org, user("10"), "admin");
        data.member(org, user("11"), "member");
        data.member(org, user("C"), "creator");
        data.member(org, cast.spare(), "member");
        COLLABORATOR_ROLES.keySet().forEach(actor -> data.member(org, user(actor), "member"));
        if (options.defaultRole() != null) {
            data.defaultRole(org, options.defaultRole());
        }
        this.team = data.team(org, user("11"));
        this.personalProject = data.project(user("3"));
        data.collaborator(personalProject, user("8"), "reader");
        this.orgProject = options.projectCreatedByCreator() ? createdByCreator() : data.project(org);
        COLLABORATOR_ROLES.forEach((actor, role) -> data.collaborator(orgProject, user(actor), role));
        if (options.publicProject()) {
            data.jdbc().sql("UPDATE projects SET is_public = true WHERE id IN (:ids)")
                    .param("ids", List.of(orgProject.id(), personalProject.id())).update();
        }
    }

    /**
     * Removes this world's organization (its memberships, team and projects go with it) and the personal project,
     * so that the shared cast does not collect memberships from cell to cell.
     */
    void dispose() {
        data.jdbc().sql("DELETE FROM projects WHERE id IN (:ids)").param("ids", List.of(personalProject.id(), orgProject.id())).update();
        data.jdbc().sql("DELETE FROM users WHERE id IN (SELECT user_id FROM teams WHERE organization_id = :o) OR id = :o")
                .param("o", org.id()).update();
    }

    /** The person playing an actor; null for actor 1 (anonymous). */
    TestData.User user(String actor) {
        return "1".equals(actor) ? null : cast.byActor().get(actor);
    }

    Http as(String actor) {
        return http.as(user(actor));
    }

    Http as(TestData.User user) {
        return http.as(user);
    }

    /** The project a project row is about for this actor: actor 3 acts on the personal project. */
    TestData.Project project(String actor) {
        return "3".equals(actor) ? personalProject : orgProject;
    }

    TestData.User spare() {
        return cast.spare();
    }

    /** Made through the API, so that the automatic admin collaboration of creators is what is tested. */
    private TestData.Project createdByCreator() {
        String name = TestData.unique("by-creator");
        Http.Response r = http.as(user("C")).post("/api/v1/projects/", Map.of("name", name, "owner", org.username()));
        if (r.status() != 201) {
            throw new IllegalStateException("creator could not create the fixture project: " + r);
        }
        return new TestData.Project(UUID.fromString(r.json().get("id").asString()), name, org.id());
    }
}
