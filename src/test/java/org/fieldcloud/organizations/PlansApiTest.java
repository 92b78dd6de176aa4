package org.fieldcloud.organizations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fieldcloud.organizations.MembersApiTest.assertBad;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Plans as staff-managed records and assigning them to organizations and persons (D3). */
class PlansApiTest extends ApiTest {

    /** Plans with these codes: what a refused request must not have created (other tests may add other plans). */
    private long plansWithCodes(String... codes) {
        return data.jdbc().sql("SELECT count(*) FROM plans WHERE code IN (:codes)").param("codes", List.of(codes)).query(Long.class).single();
    }

    private String planOf(long accountId) {
        return data.jdbc().sql("SELECT p.code FROM users u JOIN plans p ON p.id = u.plan_id WHERE u.id = :id").param("id", accountId)
                .query(String.class).single();
    }

    private String newPlan(TestData.User staff, int userType) {
        String code = TestData.unique("plan");
        Http.Response r = http.as(staff).post("/api/v1/plans/", Map.of("code", code, "display_name", "Plan " + code, "user_type", userType));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return code;
    }

    @Test
    void everyPersonListsPlansAnonymousDoesNot() {
        TestData.User u = data.person("reader");
        Http.Response r = http.as(u).get("/api/v1/plans/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().valueStream().map(p -> p.get("code").asString()).toList()).contains("default_user", "default_org");
        assertThat(http.get("/api/v1/plans/").status()).isEqualTo(401);
    }

    @Test
    void staffCreatesPlansOthersCannot() {
        TestData.User staff = data.staff("staff");
        String code = TestData.unique("pro");
        Http.Response r = http.as(staff).post("/api/v1/plans/", Map.of("code", code, "display_name", "Pro", "user_type", 1,
                "is_premium", true, "max_premium_collaborators_per_private_project", 5, "storage_keep_versions", 3,
                "storage_quota_bytes", 1_000_000));
        assertThat(r.status()).isEqualTo(201);
        JsonNode plan = r.json();
        assertThat(plan.get("code").asString()).isEqualTo(code);
        assertThat(plan.get("is_premium").asBoolean()).isTrue();
        assertThat(plan.get("is_default").asBoolean()).isFalse();
        assertThat(plan.get("max_premium_collaborators_per_private_project").asInt()).isEqualTo(5);
        assertThat(plan.get("max_organization_members").asInt()).isEqualTo(-1);
        assertThat(plan.get("storage_keep_versions").asInt()).isEqualTo(3);
        assertThat(plan.get("storage_quota_bytes").asLong()).isEqualTo(1_000_000);

        String refused = TestData.unique("nope");
        Map<String, Object> body = Map.of("code", refused, "display_name", "Nope", "user_type", 1);
        assertThat(http.as(data.person("plain")).post("/api/v1/plans/", body).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/plans/", body).status()).isEqualTo(401);
        assertThat(plansWithCodes(refused)).isZero();
    }

    @Test
    void badPlansAre400NamingTheFieldAndStoreNothing() {
        Http staff = http.as(data.staff("staff"));
        String code = TestData.unique("p");
        assertBad(staff.post("/api/v1/plans/", Map.of("display_name", "X", "user_type", 1)), "'code'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", "bad code!", "display_name", "X", "user_type", 1)), "'code'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "user_type", 1)), "'display_name'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X")), "'user_type'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 3)), "'user_type'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", "one")), "'user_type'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 1.5)), "'user_type'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 1, "storage_keep_versions", 0)), "'storage_keep_versions'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 2, "max_organization_members", -2)), "'max_organization_members'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 1, "is_premium", "very")), "'is_premium'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", code, "display_name", "X", "user_type", 1, "is_default", true,
                "storage_quota_bytes", -1)), "'storage_quota_bytes'");
        assertBad(staff.post("/api/v1/plans/", Map.of("code", "default_org", "display_name", "X", "user_type", 2)), "'code'");
        assertBad(staff.raw("POST", "/api/v1/plans/", "application/json", "{\"code\":"), "JSON");
        assertThat(plansWithCodes(code, "bad code!")).isZero();
        assertThat(plansWithCodes("default_org")).isOne();
        assertThat(data.jdbc().sql("SELECT code FROM plans WHERE is_default AND user_type = 1").query(String.class).single()).isEqualTo("default_user");
    }

    @Test
    void ownerOrStaffChangeAnOrganizationsPlan() {
        TestData.User staffUser = data.staff("staff");
        OrgWorld w = OrgWorld.create(data);
        String gold = newPlan(staffUser, 2);
        String silver = newPlan(staffUser, 2);
        Http.Response r = http.as(w.owner()).put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", gold));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("plan").get("code").asString()).isEqualTo(gold);
        assertThat(planOf(w.org().id())).isEqualTo(gold);
        assertThat(http.as(w.admin()).put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", silver)).status()).isEqualTo(403);
        assertThat(planOf(w.org().id())).isEqualTo(gold);
        assertThat(http.as(staffUser).put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", silver)).status()).isEqualTo(200);
        assertThat(planOf(w.org().id())).isEqualTo(silver);
        assertThat(http.as(staffUser).put("/api/v1/organizations/" + TestData.unique("ghost") + "/plan/", Map.of("plan", silver)).status()).isEqualTo(404);

        Http owner = http.as(w.owner());
        assertBad(owner.put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", "default_user")), "'plan'");
        assertBad(owner.put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", TestData.unique("nosuch"))), "'plan'");
        assertBad(owner.put("/api/v1/organizations/" + w.name() + "/plan/", Map.of()), "'plan'");
        assertBad(owner.put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", 3)), "'plan'");
        assertThat(planOf(w.org().id())).isEqualTo(silver);
    }

    @Test
    void onlyStaffChangeAPersonsPlan() {
        TestData.User staffUser = data.staff("staff");
        TestData.User alice = data.person("alice");
        String premium = newPlan(staffUser, 1);
        assertThat(http.as(alice).put("/api/v1/users/" + alice.username() + "/plan/", Map.of("plan", premium)).status()).isEqualTo(403);
        assertThat(http.put("/api/v1/users/" + alice.username() + "/plan/", Map.of("plan", premium)).status()).isEqualTo(401);
        assertThat(planOf(alice.id())).isEqualTo("default_user");
        Http staff = http.as(staffUser);
        Http.Response r = staff.put("/api/v1/users/" + alice.username() + "/plan/", Map.of("plan", premium));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("username").asString()).isEqualTo(alice.username());
        assertThat(planOf(alice.id())).isEqualTo(premium);

        assertBad(staff.put("/api/v1/users/" + alice.username() + "/plan/", Map.of("plan", "default_org")), "'plan'");
        Map<String, Object> nullPlan = new HashMap<>();
        nullPlan.put("plan", null);
        assertBad(staff.put("/api/v1/users/" + alice.username() + "/plan/", nullPlan), "'plan'");
        assertThat(planOf(alice.id())).isEqualTo(premium);
        OrgWorld w = OrgWorld.create(data);
        assertThat(staff.put("/api/v1/users/" + w.name() + "/plan/", Map.of("plan", "default_org")).status()).isEqualTo(400);
        assertThat(staff.put("/api/v1/users/" + TestData.unique("ghost") + "/plan/", Map.of("plan", premium)).status()).isEqualTo(404);
    }
}
