package org.fieldcloud.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The resolution ladder: reference-api-core §6.4 and the three-level example of seed 000. */
class SecretResolutionTest extends ApiTest {

    @Autowired
    Secrets secrets;
    @Autowired
    SecretResolution resolution;

    private TestData.User u1;
    private TestData.User u2;
    private TestData.User u3;
    private TestData.User u4;
    private TestData.Org o1;
    private TestData.Project p1;
    private TestData.Project p2;
    private TestData.Project p3;

    @BeforeEach
    void world() {
        u1 = data.person("u1");
        u2 = data.person("u2");
        u3 = data.person("u3");
        u4 = data.person("u4");
        o1 = data.organization(u1);
        for (TestData.User u : List.of(u2, u3, u4)) {
            data.member(o1, u, "member");
        }
        p1 = data.project(o1);
        p2 = data.project(o1);
        p3 = data.project(u1);
        data.collaborator(p1, u2, "admin");
        data.collaborator(p1, u3, "reader");
    }

    private void add(SecretScope scope, String name, String value, TestData.User assigned) {
        secrets.create(scope, new Secrets.NewSecret(name, "envvar", value, assigned == null ? null : assigned.id()), u1.id());
    }

    private List<String> resolved(TestData.User user, TestData.Project project) {
        return resolution.resolve(user.id(), project.id()).stream().map(r -> r.name() + "=" + r.value() + "@" + r.level()).toList();
    }

    @Test
    void projectSecretReachesEveryoneWithARoleAndNoOtherProject() {
        add(SecretScope.project(p1.id()), "S1", "p1-s1", null);
        for (TestData.User u : List.of(u1, u2, u3)) {
            assertThat(resolved(u, p1)).containsExactly("S1=p1-s1@project");
        }
        assertThatThrownBy(() -> resolved(u4, p1)).hasMessageContaining("has no role on project");
        assertThat(resolved(u1, p2)).isEmpty();
    }

    @Test
    void assignedSecretsWinForTheirUserInNameOrder() {
        add(SecretScope.project(p1.id()), "S1", "project", null);
        add(SecretScope.project(p1.id()), "S1", "for-u1", u1);
        add(SecretScope.project(p1.id()), "S2", "s2-for-u1", u1);
        add(SecretScope.project(p1.id()), "S3", "s3", null);
        add(SecretScope.project(p2.id()), "S1", "p2-for-u1", u1);
        add(SecretScope.project(p1.id()), "S1", "for-u2", u2);
        assertThat(resolved(u1, p1)).containsExactly("S1=for-u1@project_user", "S2=s2-for-u1@project_user", "S3=s3@project");
        assertThat(resolved(u2, p1)).containsExactly("S1=for-u2@project_user", "S3=s3@project");
    }

    @Test
    void organizationSecretsNeverReachPersonalProjects() {
        add(SecretScope.organization(o1.id()), "S1", "org", null);
        add(SecretScope.project(p3.id()), "S1", "personal", null);
        assertThat(resolved(u1, p3)).containsExactly("S1=personal@project");
        add(SecretScope.project(p3.id()), "S1", "personal-u1", u1);
        assertThat(resolved(u1, p3)).containsExactly("S1=personal-u1@project_user");
    }

    @Test
    void theLadderOnAnOrganizationProject() {
        add(SecretScope.organization(o1.id()), "S1", "org", null);
        assertThat(resolved(u1, p1)).containsExactly("S1=org@organization");
        add(SecretScope.organization(o1.id()), "S1", "org-u1", u1);
        assertThat(resolved(u1, p1)).containsExactly("S1=org-u1@organization_user");
        assertThat(resolved(u2, p1)).containsExactly("S1=org@organization");
        add(SecretScope.project(p1.id()), "S1", "project", null);
        assertThat(resolved(u1, p1)).containsExactly("S1=project@project");
        add(SecretScope.project(p1.id()), "S1", "project-u1", u1);
        assertThat(resolved(u1, p1)).containsExactly("S1=project-u1@project_user");
    }

    @Test
    void noLeakageBetweenProjectsAndUsers() {
        TestData.Project p4 = data.project(u2);
        add(SecretScope.project(p3.id()), "P3_S1", "a", null);
        add(SecretScope.project(p4.id()), "P4_S2", "b", null);
        assertThat(resolved(u1, p3)).containsExactly("P3_S1=a@project");
        assertThatThrownBy(() -> resolved(u1, p4)).hasMessageContaining("no role");
        assertThatThrownBy(() -> resolved(u2, p3)).hasMessageContaining("no role");
        assertThat(resolved(u2, p4)).containsExactly("P4_S2=b@project");
    }

    @Test
    void aUserWhoLostTheirRoleGetsNoAssignedSecrets() {
        add(SecretScope.organization(o1.id()), "S1", "org", null);
        add(SecretScope.organization(o1.id()), "S1", "org-u3", u3);
        assertThat(resolved(u3, p1)).containsExactly("S1=org-u3@organization_user");
        data.jdbc().sql("DELETE FROM organization_members WHERE member_id = :u").param("u", u3.id()).update();
        assertThat(resolved(u3, p1)).as("still a reader collaborator, but no longer in the organization").containsExactly("S1=org@organization");
        data.jdbc().sql("DELETE FROM project_collaborators WHERE collaborator_id = :u").param("u", u3.id()).update();
        assertThatThrownBy(() -> resolved(u3, p1)).hasMessageContaining("no role");
    }

    @Test
    void seedThreeLevelExampleChangesTheWinnerForTheAssignedUserOnly() {
        String service = "[ninja]\nhost=db\nport=5432\ndbname=ninja\nuser=%s\npassword=%s\n";
        secrets.create(SecretScope.organization(o1.id()), new Secrets.NewSecret(null, "pgservice", service.formatted("ninja_org", "po"), null), u1.id());
        assertThat(resolution.forJob(u2.id(), p1.id(), null).service("ninja").orElseThrow().get("user")).isEqualTo("ninja_org");
        secrets.create(SecretScope.project(p1.id()), new Secrets.NewSecret(null, "pgservice", service.formatted("ninja_project", "pp"), null), u1.id());
        assertThat(resolution.forJob(u2.id(), p1.id(), null).service("ninja").orElseThrow().get("user")).isEqualTo("ninja_project");
        secrets.create(SecretScope.project(p1.id()), new Secrets.NewSecret(null, "pgservice", service.formatted("ninja_user", "pu"), u2.id()), u1.id());
        assertThat(resolution.forJob(u2.id(), p1.id(), null).service("ninja").orElseThrow().get("user")).isEqualTo("ninja_user");
        assertThat(resolution.forJob(u3.id(), p1.id(), null).service("ninja").orElseThrow().get("user")).isEqualTo("ninja_project");
        assertThat(resolution.resolve(u2.id(), p1.id())).extracting(ResolvedSecret::name).containsExactly("PG_SERVICE_NINJA");
    }
}
