package org.fieldcloud.organizations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Plans as staff-managed records (D3): no payment provider, staff create plans and assign them.
 * <p>Decisions where the spec is silent: plans are listed to every authenticated person (they are not
 * secret and clients may show limits); a plan is only assignable to the account type it was made for;
 * creating a plan with {@code is_default} makes it the new default of its type (the old default stays, no
 * account changes plan); lowering a plan below an organization's current member count is allowed and
 * only blocks further additions.
 */
@Service
public class Plans {

    private static final Pattern CODE = Pattern.compile("^[a-zA-Z0-9][-a-zA-Z0-9_]{0,99}$");
    private static final String COLUMNS = "id, code, display_name, user_type, is_default, is_premium, "
            + "max_premium_collaborators_per_private_project, max_organization_members, storage_keep_versions, storage_quota_bytes";

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;

    Plans(JdbcClient jdbc, Policy policy, Accounts accounts) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
    }

    public List<Map<String, Object>> list(Actor actor) {
        policy.requireAuthenticated(actor);
        return jdbc.sql("SELECT " + COLUMNS + " FROM plans ORDER BY user_type, code").query(Plans::row).list();
    }

    @Transactional
    Map<String, Object> create(Actor actor, RequestFields body) {
        policy.requireStaff(actor, "create plans");
        String code = body.requiredNonBlank("code");
        if (!CODE.matcher(code).matches()) {
            throw ApiException.badRequest("Field 'code' must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit.");
        }
        String displayName = body.requiredNonBlank("display_name");
        if (displayName.length() > 255) {
            throw ApiException.badRequest("Field 'display_name' must be at most 255 characters long.");
        }
        long userType = NumberFields.integer(body, "user_type", 1, 2)
                .orElseThrow(() -> ApiException.badRequest("Field 'user_type' is required: 1 (person) or 2 (organization)."));
        boolean isDefault = body.bool("is_default").orElse(false);
        boolean premium = body.bool("is_premium").orElse(false);
        long collaborators = NumberFields.integer(body, "max_premium_collaborators_per_private_project", -1, Integer.MAX_VALUE).orElse(-1L);
        long members = NumberFields.integer(body, "max_organization_members", -1, Integer.MAX_VALUE).orElse(-1L);
        long keepVersions = NumberFields.integer(body, "storage_keep_versions", 1, 100).orElse(10L);
        long quota = NumberFields.integer(body, "storage_quota_bytes", 0, Long.MAX_VALUE).orElse(10L << 30);
        if (isDefault) {
            jdbc.sql("UPDATE plans SET is_default = false WHERE user_type = :t AND is_default").param("t", userType).update();
        }
        try {
            return jdbc.sql("""
                    INSERT INTO plans (code, display_name, user_type, is_default, is_premium, max_premium_collaborators_per_private_project,
                                       max_organization_members, storage_keep_versions, storage_quota_bytes)
                    VALUES (:code, :name, :type, :def, :premium, :collabs, :members, :keep, :quota)
                    RETURNING\s""" + COLUMNS)
                    .param("code", code).param("name", displayName).param("type", (int) userType).param("def", isDefault)
                    .param("premium", premium).param("collabs", (int) collaborators).param("members", (int) members)
                    .param("keep", (int) keepVersions).param("quota", quota)
                    .query(Plans::row).single();
        } catch (DuplicateKeyException e) {
            throw ApiException.badRequest("Field 'code': a plan with the code '" + code + "' already exists.");
        }
    }

    /** Permissions row 34: the organization owner, or staff (who manage plans but hold no org role). */
    @Transactional
    Map<String, Object> changeOrganizationPlan(Actor actor, String org, RequestFields body) {
        policy.requireAuthenticated(actor);
        Policy.OrganizationAccess access = actor.staff()
                ? policy.organizationAccess(actor, org).orElseThrow(() -> ApiException.notFound("no organization named '" + org + "'."))
                : policy.requireOrganization(actor, OrganizationAction.OWNER_ONLY, org);
        return assign(access.organizationId(), access.username(), Account.ORGANIZATION, body);
    }

    @Transactional
    Map<String, Object> changePersonPlan(Actor actor, String username, RequestFields body) {
        policy.requireStaff(actor, "change a person's plan");
        Account person = accounts.byUsername(username).orElseThrow(() -> ApiException.notFound("no user named '" + username + "'."));
        if (!person.person()) {
            throw ApiException.validation("'" + username + "' is not a person; an organization's plan is changed at "
                    + "/api/v1/organizations/" + username + "/plan/, teams have no plan.");
        }
        return assign(person.id(), person.username(), Account.PERSON, body);
    }

    private Map<String, Object> assign(long accountId, String username, int userType, RequestFields body) {
        String code = body.requiredNonBlank("plan");
        Map<String, Object> plan = jdbc.sql("SELECT " + COLUMNS + " FROM plans WHERE code = :c").param("c", code)
                .query(Plans::row).optional()
                .orElseThrow(() -> ApiException.badRequest("Field 'plan': there is no plan with the code '" + code + "'."));
        if (((Number) plan.get("user_type")).intValue() != userType) {
            throw ApiException.badRequest("Field 'plan': the plan '" + code + "' is for "
                    + (userType == Account.PERSON ? "organizations" : "persons") + ", not for this account.");
        }
        jdbc.sql("UPDATE users SET plan_id = :p WHERE id = :id").param("p", plan.get("id")).param("id", accountId).update();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", username);
        out.put("plan", plan);
        return out;
    }

    private static Map<String, Object> row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getLong("id"));
        out.put("code", rs.getString("code"));
        out.put("display_name", rs.getString("display_name"));
        out.put("user_type", rs.getInt("user_type"));
        out.put("is_default", rs.getBoolean("is_default"));
        out.put("is_premium", rs.getBoolean("is_premium"));
        out.put("max_premium_collaborators_per_private_project", rs.getInt("max_premium_collaborators_per_private_project"));
        out.put("max_organization_members", rs.getInt("max_organization_members"));
        out.put("storage_keep_versions", rs.getInt("storage_keep_versions"));
        out.put("storage_quota_bytes", rs.getLong("storage_quota_bytes"));
        return out;
    }
}
