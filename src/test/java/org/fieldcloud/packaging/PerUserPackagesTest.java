package org.fieldcloud.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Per-user versus shared packages (reference-api-jobs §6.2) and retention (§6.3): a person with a secret assigned
 * to them on the project or its organization gets only packages built for them; everyone else shares the newest
 * package built for someone without such secrets; a failed or running job is never the latest package.
 */
class PerUserPackagesTest extends ApiTest {

    private PackageFlows flows;
    private TestData.User owner;
    private TestData.User u1;
    private TestData.User u2;
    private TestData.User u3;
    private String org;
    private UUID project;

    @BeforeEach
    void orgProjectWithThreeReaders() {
        flows = new PackageFlows(http);
        owner = data.person("puowner");
        u1 = data.person("pu1");
        u2 = data.person("pu2");
        u3 = data.person("pu3");
        org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("puorg"))).json().get("username").asString();
        project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("pu"), "owner", org)).json().get("id").asString());
        for (TestData.User person : List.of(u1, u2, u3)) {
            assertThat(http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", person.username(), "role", "member")).status()).isEqualTo(201);
            assertThat(http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", person.username(), "role", "reader"))
                    .status()).isEqualTo(201);
        }
        flows.uploadFixtures(owner, project, "points.geojson", "polygons.geojson", "testdata.gpkg", "nonspatial.csv", "project.qgs");
    }

    @Test
    void peopleWithAssignedProjectSecretsGetTheirOwnPackagesOthersShareOne() throws Exception {
        secret("/api/v1/projects/" + project + "/secrets/", null);
        secret("/api/v1/projects/" + project + "/secrets/", u1);
        secret("/api/v1/projects/" + project + "/secrets/", u2);
        String p1 = packageId(u1);
        String p2 = packageId(u2);
        assertThat(p1).isNotEqualTo(p2);
        assertThat(latestId(u1)).isEqualTo(p1);
        assertThat(latestId(u2)).isEqualTo(p2);
        assertThat(flows.latest(u3, project).status()).as("no shared package yet: u1's and u2's are theirs alone").isEqualTo(400);
        String shared = packageId(u3);
        assertThat(latestId(owner)).isEqualTo(shared);
        assertThat(latestId(u1)).as("u1 keeps their own").isEqualTo(p1);
    }

    @Test
    void anAssignedOrganizationSecretAlsoMakesPackagesPersonal() throws Exception {
        String shared = packageId(u1);
        assertThat(latestId(u2)).as("without assigned secrets everyone shares").isEqualTo(shared);
        secret("/api/v1/organizations/" + org + "/secrets/", u1);
        assertThat(flows.latest(u1, project).status()).as("the shared package is no longer u1's").isEqualTo(400);
        String own = packageId(u1);
        assertThat(own).isNotEqualTo(shared);
        assertThat(latestId(u1)).isEqualTo(own);
        assertThat(latestId(u2)).as("others keep the shared package").isEqualTo(shared);
    }

    @Test
    void aPersonsNewPackageRemovesTheirOldOneButNotAnotherPersons() throws Exception {
        secret("/api/v1/projects/" + project + "/secrets/", u1);
        secret("/api/v1/projects/" + project + "/secrets/", u2);
        String first1 = packageId(u1);
        String first2 = packageId(u2);
        String second1 = packageId(u1);
        assertThat(fileRows(first1)).as("u1's first package is purged").isZero();
        assertThat(fileRows(first2)).as("u2's package stays").isPositive();
        assertThat(fileRows(second1)).isPositive();
        assertThat(data.jdbc().sql("SELECT count(*) FROM orphan_blobs WHERE storage_key LIKE :k").param("k", "%/packages/" + first1 + "/%")
                .query(Long.class).single()).as("no blob of the purged package is left waiting").isZero();
        assertThat(flows.download(u2, project, "data.gpkg")).isNotEmpty();
    }

    @Test
    void packagingForOnePersonWithTheirOwnSecretsClearsOnlyTheirNeedToRepackage() throws Exception {
        secret("/api/v1/projects/" + project + "/secrets/", null);
        secret("/api/v1/projects/" + project + "/secrets/", u1);
        secret("/api/v1/projects/" + project + "/secrets/", u2);
        flows.awaitIdle(owner, project);
        assertThat(needsRepackaging(u1)).isTrue();
        assertThat(needsRepackaging(u2)).isTrue();
        packageId(u1);
        assertThat(needsRepackaging(u1)).isFalse();
        assertThat(needsRepackaging(u2)).as("u1's package is not u2's").isTrue();
        assertThat(needsRepackaging(u3)).as("nor the shared one").isTrue();
    }

    private boolean needsRepackaging(TestData.User person) {
        return http.as(person).get("/api/v1/projects/" + project + "/").json().get("needs_repackaging").asBoolean();
    }

    @Test
    void aPackageWhoseJobEndedFailedAfterItWasRecordedIsNeverServed() throws Exception {
        String id = packageId(u1);
        // As when a worker dies between storing the package and finishing the job: recovery marks the job failed.
        data.jdbc().sql("UPDATE jobs SET status = 'failed' WHERE id = :j").param("j", UUID.fromString(id)).update();
        Http.Response latest = flows.latest(u1, project);
        assertThat(latest.status()).as(latest.toString()).isEqualTo(400);
        assertThat(http.as(u1).get("/api/v1/packages/" + project + "/latest/files/data.gpkg/").status()).isEqualTo(400);
    }

    private long fileRows(String jobId) {
        return data.jdbc().sql("SELECT count(*) FROM package_files WHERE job_id = :j").param("j", UUID.fromString(jobId)).query(Long.class).single();
    }

    private String packageId(TestData.User person) throws InterruptedException {
        flows.awaitIdle(owner, project);
        JsonNode job = flows.packageAndWait(person, project);
        assertThat(job.get("status").asString()).isEqualTo("finished");
        return job.get("id").asString();
    }

    private String latestId(TestData.User person) {
        Http.Response r = flows.latest(person, project);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("package_id").asString();
    }

    private void secret(String path, TestData.User assignee) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("type", "envvar", "name", "SECRET", "value", "s-" + UUID.randomUUID()));
        if (assignee != null) {
            body.put("assigned_to", assignee.username());
        }
        Http.Response r = http.as(owner).post(path, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
