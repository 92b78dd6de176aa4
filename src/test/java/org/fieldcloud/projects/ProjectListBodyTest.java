package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 12 §1: the project lists are byte for byte what the server answered before they were made fast. A fixture
 * with every origin, every status, every kind of project, escaping-hungry descriptions, packages and jobs is listed
 * through the API and by {@link LegacyProjectList} (the old statement and the old Map rows through the application's
 * own {@link ObjectMapper}); the bodies must be equal bytes, and the pagination headers must carry the old totals.
 */
class ProjectListBodyTest extends ApiTest {

    private static final String DEFAULT_ORDER = " ORDER BY p.is_featured DESC, u.username, p.name, p.id";

    @Autowired
    ObjectMapper mapper;

    private TestData.User viewer;
    private TestData.User other;
    private TestData.Org ownOrg;
    private String tag;
    private UUID first;

    @BeforeEach
    void richFixture() {
        viewer = data.person("viewer");
        other = data.person("other");
        TestData.User strict = data.person("strict");
        tag = TestData.unique("zq");
        ownOrg = data.organization(viewer);
        TestData.Org adminOrg = data.organization(other);
        data.member(adminOrg, viewer, "admin");
        TestData.Org defaultOrg = data.organization(other);
        data.member(defaultOrg, viewer, "member");
        data.defaultRole(defaultOrg, "editor");
        TestData.Org teamOrg = data.organization(other);
        data.member(teamOrg, viewer, "member");
        TestData.Team team = data.team(teamOrg, viewer);

        first = project(viewer.id(), "Alpha_" + tag, "regular", false, true, "quotes \" back\\slash </script> tab\t newline\n é ✓ 🌲 \u2028 \u0001");
        project(viewer.id(), "alpha2_" + tag, "template", true, false, "");
        UUID shared = project(viewer.id(), "shared_" + tag, "shared_datasets", false, false, "datasets");
        project(viewer.id(), "beta_" + tag, "regular", false, false, "after the shared one");
        project(ownOrg.id(), "org_" + tag, "regular", false, false, "org");
        project(adminOrg.id(), "adm_" + tag, "regular", false, true, "admin");
        project(defaultOrg.id(), "def_" + tag, "regular", false, false, "default role");
        UUID collab = project(other.id(), "col_" + tag, "regular", false, false, "collaborator beats team");
        data.collaborator(new TestData.Project(collab, "", other.id()), viewer, "manager");
        data.collaborator(new TestData.Project(collab, "", other.id()), team.id(), "admin");
        UUID viaTeam = project(teamOrg.id(), "team_" + tag, "regular", false, false, "team");
        data.collaborator(new TestData.Project(viaTeam, "", teamOrg.id()), team.id(), "reporter");
        project(other.id(), "pub_" + tag, "regular", true, false, "public, no role but public");
        UUID limited = project(strict.id(), "limited_" + tag, "regular", false, false, "more collaborators than the plan allows");
        Plans.assign(data, strict.id(), 1, true, 0);
        data.collaborator(new TestData.Project(limited, "", strict.id()), viewer, "reader");

        jdbc("UPDATE projects SET the_qgis_file_name = 'a.qgs', project_details = '{\"layers_by_id\": {\"l\": {\"provider_name\": \"postgres\"}}}',"
                + " data_last_updated_at = '2026-01-02 03:04:05.000001+00', file_storage_bytes = 9007199254740993 WHERE id = :id", first);
        jdbc("UPDATE projects SET the_qgis_file_name = 'c.qgz', project_details = '{}', data_last_updated_at = '2026-01-01 00:00:00+00',"
                + " data_last_packaged_at = '2026-01-01 00:00:01.5+00', restricted_data_last_updated_at = '2025-12-31 23:59:59.999999+00',"
                + " is_attachment_download_on_demand = true, has_restricted_projectfiles = true, overwrite_conflicts = false WHERE id = :id", collab);
        jdbc("UPDATE projects SET the_qgis_file_name = 't.qgs', project_details = '{}' WHERE id = :id", viaTeam);
        UUID packageJob = UUID.randomUUID();
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, status) VALUES (:j, :p, 'package', 'finished')")
                .param("j", packageJob).param("p", collab).update();
        data.jdbc().sql("INSERT INTO packages (job_id, project_id, layers, packaged_at) VALUES (:j, :p, '{}', '2026-01-01 00:00:02+00')")
                .param("j", packageJob).param("p", collab).update();
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, status) VALUES (:j, :p, 'process_projectfile', 'pending')")
                .param("j", UUID.randomUUID()).param("p", first).update();
        assertThat(shared).isNotNull();
    }

    @Test
    void everyListVariantIsByteIdenticalToTheOldImplementation() {
        String search = " AND (strpos(lower(u.username), lower(:search)) > 0 OR strpos(lower(p.name), lower(:search)) > 0)";
        same("", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, "");
        same("?limit=3", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, " LIMIT 3 OFFSET 0");
        same("?limit=3&offset=4", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, " LIMIT 3 OFFSET 4");
        same("?limit=3&offset=9", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, " LIMIT 3 OFFSET 9");
        same("?limit=5&offset=100", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, " LIMIT 5 OFFSET 100");
        same("?limit=-1&offset=2", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, "");
        same("?limit=abc", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, "");
        same("?limit=2&offset=-4", "JOIN", " WHERE r.origin <> 'public'", Map.of(), DEFAULT_ORDER, " LIMIT 2 OFFSET 0");
        same("?ordering=-name,owner", "JOIN", " WHERE r.origin <> 'public'", Map.of(), " ORDER BY p.name DESC, u.username, p.id", "");
        same("?ordering=created_at&limit=2&offset=1", "JOIN", " WHERE r.origin <> 'public'", Map.of(), " ORDER BY p.created_at, p.id",
                " LIMIT 2 OFFSET 1");
        same("?include_public=1&search=" + tag, "JOIN", " WHERE true" + search, Map.of("search", tag), DEFAULT_ORDER, "");
        same("?search=ALPHA", "JOIN", " WHERE r.origin <> 'public'" + search, Map.of("search", "ALPHA"), DEFAULT_ORDER, "");
        same("?owner=" + ownOrg.username().toUpperCase(), "JOIN", " WHERE r.origin <> 'public' AND lower(u.username) = lower(:owner)",
                Map.of("owner", ownOrg.username().toUpperCase()), DEFAULT_ORDER, "");
        same("?name=alpha_" + tag, "JOIN", " WHERE r.origin <> 'public' AND lower(p.name) = lower(:name)",
                Map.of("name", "alpha_" + tag), DEFAULT_ORDER, "");
        same("public/?owner=" + other.username(), "LEFT JOIN", " WHERE p.is_public AND lower(u.username) = lower(:owner)",
                Map.of("owner", other.username()), DEFAULT_ORDER, "");
        same("public/?search=" + tag + "&limit=1", "LEFT JOIN", " WHERE p.is_public" + search, Map.of("search", tag), DEFAULT_ORDER,
                " LIMIT 1 OFFSET 0");
    }

    @Test
    void oneProjectIsByteIdenticalToTheOldImplementation() {
        Http.Response r = http.as(viewer).get("/api/v1/projects/" + first + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<Map<String, Object>> expected = LegacyProjectList.rows(data.jdbc(), viewer.id(), "LEFT JOIN", " WHERE p.id = :project",
                Map.of("project", first), "", "");
        assertThat(r.text()).isEqualTo(mapper.writeValueAsString(expected.getFirst()));
    }

    private void same(String query, String roleJoin, String where, Map<String, ?> params, String orderBy, String window) {
        Http.Response r = http.as(viewer).get("/api/v1/projects/" + query);
        assertThat(r.status()).as(query + ": " + r).isEqualTo(200);
        assertThat(r.header("Content-Type")).as(query).isEqualTo("application/json");
        List<Map<String, Object>> expected = LegacyProjectList.rows(data.jdbc(), viewer.id(), roleJoin, where, params, orderBy, window);
        String body = new String(r.bytes(), StandardCharsets.UTF_8);
        assertThat(body).as(query).isEqualTo(mapper.writeValueAsString(expected));
        if (window.isEmpty()) {
            assertThat(r.header("X-Total-Count")).as(query + ": no pagination headers").isNull();
        } else {
            long total = LegacyProjectList.total(data.jdbc(), viewer.id(), roleJoin, where, params);
            assertThat(r.header("X-Total-Count")).as(query).isEqualTo(Long.toString(total));
        }
    }

    private UUID project(long owner, String name, String type, boolean isPublic, boolean featured, String description) {
        UUID id = UUID.randomUUID();
        data.jdbc().sql("""
                INSERT INTO projects (id, name, owner_id, project_type, is_public, is_featured, description, created_by)
                VALUES (:id, :n, :o, :t, :p, :f, :d, :o)""")
                .param("id", id).param("n", name).param("o", owner).param("t", type).param("p", isPublic).param("f", featured)
                .param("d", description).update();
        return id;
    }

    private void jdbc(String sql, UUID id) {
        data.jdbc().sql(sql).param("id", id).update();
    }
}
