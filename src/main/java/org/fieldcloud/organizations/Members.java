package org.fieldcloud.organizations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Organization members (reference §2.3). The owner is never a member row.
 * <p>Decisions where the spec is silent or the reference is quirky:
 * <ul>
 *   <li>The member limit of the organization's plan is checked only when a member is added, never on update
 *       (the reference's check on update blocks editing members of a full organization).</li>
 *   <li>Addressing the owner on the detail routes is refused with 403 for update and delete (note ᵇ: nobody
 *       changes or removes the owner through the members API; ownership moves only by transfer) and 404 for
 *       GET, since the owner is not a member.</li>
 *   <li>PUT and PATCH both update only the fields present ({@code role}, {@code is_public}); a {@code member}
 *       field, if sent, must name the member of the path.</li>
 *   <li>OrgMember objects also carry {@code created_by}, {@code updated_by}, {@code created_at} and
 *       {@code updated_at}; clients ignore unknown fields.</li>
 * </ul>
 */
@Service
public class Members {

    static final Set<String> ROLES = Set.of("admin", "creator", "member");

    private static final String SELECT = """
            SELECT o.username AS organization, mu.username AS member, m.role, m.is_public,
                   cb.username AS created_by, ub.username AS updated_by, m.created_at, m.updated_at
              FROM organization_members m
              JOIN users o ON o.id = m.organization_id
              JOIN users mu ON mu.id = m.member_id
              LEFT JOIN users cb ON cb.id = m.created_by
              LEFT JOIN users ub ON ub.id = m.updated_by
            """;

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;

    Members(JdbcClient jdbc, Policy policy, Accounts accounts) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
    }

    public record Listing(List<Map<String, Object>> rows, long total) { }

    public Listing list(Actor actor, String org, Page page) {
        long orgId = policy.requireOrganization(actor, OrganizationAction.LIST_MEMBERS, org).organizationId();
        List<Map<String, Object>> rows = jdbc.sql(SELECT + " WHERE m.organization_id = :org ORDER BY mu.username" + page.sql())
                .param("org", orgId).query(Members::row).list();
        long total = page.active()
                ? jdbc.sql("SELECT count(*) FROM organization_members WHERE organization_id = :org").param("org", orgId).query(Long.class).single()
                : rows.size();
        return new Listing(rows, total);
    }

    Map<String, Object> get(Actor actor, String org, String username) {
        long orgId = policy.requireOrganization(actor, OrganizationAction.LIST_MEMBERS, org).organizationId();
        return find(orgId, username);
    }

    @Transactional
    public Map<String, Object> add(Actor actor, String org, RequestFields body) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.MANAGE_MEMBERS, org);
        String username = body.requiredNonBlank("member");
        String role = body.choice("role", ROLES).orElse("member");
        boolean isPublic = body.bool("is_public").orElse(false);
        Account person = accounts.byUsername(username).orElseThrow(() -> ApiException.notFound("no user named '" + username + "'."));
        requireCanBecomeMember(access, person);
        requireRoomForMember(access);
        try {
            jdbc.sql("""
                    INSERT INTO organization_members (organization_id, member_id, role, is_public, created_by, updated_by)
                    VALUES (:org, :member, :role, :public, :actor, :actor)""")
                    .param("org", access.organizationId()).param("member", person.id()).param("role", role)
                    .param("public", isPublic).param("actor", actor.userId()).update();
        } catch (DuplicateKeyException e) {
            throw alreadyMember(person, access);
        }
        return find(access.organizationId(), person.username());
    }

    @Transactional
    public Map<String, Object> update(Actor actor, String org, String username, RequestFields body) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.MANAGE_MEMBERS, org);
        requireNotOwner(access, username);
        body.string("member").filter(m -> !m.equals(username)).ifPresent(m -> {
            throw ApiException.badRequest("Field 'member' cannot be changed: it must be '" + username + "' or left out.");
        });
        String role = body.choice("role", ROLES).orElse(null);
        Boolean isPublic = body.bool("is_public").orElse(null);
        find(access.organizationId(), username);
        jdbc.sql("""
                UPDATE organization_members m
                   SET role = coalesce(:role, m.role), is_public = coalesce(:public, m.is_public), updated_by = :actor, updated_at = now()
                  FROM users u
                 WHERE u.id = m.member_id AND m.organization_id = :org AND u.username = :name""")
                .param("role", role).param("public", isPublic).param("actor", actor.userId())
                .param("org", access.organizationId()).param("name", username).update();
        return find(access.organizationId(), username);
    }

    /** Removes the member together with their team memberships and direct collaborations in this organization. */
    @Transactional
    public void remove(Actor actor, String org, String username) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.MANAGE_MEMBERS, org);
        requireNotOwner(access, username);
        Long memberId = jdbc.sql("""
                DELETE FROM organization_members m USING users u
                 WHERE u.id = m.member_id AND m.organization_id = :org AND u.username = :name
                RETURNING m.member_id""")
                .param("org", access.organizationId()).param("name", username).query(Long.class).optional()
                .orElseThrow(() -> notAMember(username, access));
        jdbc.sql("DELETE FROM team_members WHERE member_id = :m AND team_id IN (SELECT user_id FROM teams WHERE organization_id = :org)")
                .param("m", memberId).param("org", access.organizationId()).update();
        jdbc.sql("DELETE FROM project_collaborators WHERE collaborator_id = :m AND project_id IN (SELECT id FROM projects WHERE owner_id = :org)")
                .param("m", memberId).param("org", access.organizationId()).update();
    }

    private Map<String, Object> find(long orgId, String username) {
        return jdbc.sql(SELECT + " WHERE m.organization_id = :org AND mu.username = :name")
                .param("org", orgId).param("name", username).query(Members::row).optional()
                .orElseThrow(() -> ApiException.notFound("'" + username + "' is not a member of this organization."));
    }

    private static void requireCanBecomeMember(Policy.OrganizationAccess access, Account person) {
        if (person.id() == access.ownerId()) {
            throw ApiException.validation("Field 'member': '" + person.username() + "' owns '" + access.username()
                    + "' and cannot also be a member.");
        }
        if (!person.person()) {
            throw ApiException.validation("Field 'member': '" + person.username() + "' is not a person; only persons can be members.");
        }
    }

    /** Locks the organization row so that concurrent additions cannot overshoot the limit together. */
    private void requireRoomForMember(Policy.OrganizationAccess access) {
        boolean full = jdbc.sql("""
                SELECT pl.max_organization_members > -1
                       AND 1 + (SELECT count(*) FROM organization_members WHERE organization_id = o.user_id) >= pl.max_organization_members
                  FROM organizations o
                  JOIN users u ON u.id = o.user_id
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = 2))
                 WHERE o.user_id = :org
                   FOR UPDATE OF o""")
                .param("org", access.organizationId()).query(Boolean.class).single();
        if (full) {
            throw new ApiException(HttpStatus.FORBIDDEN, "organization_has_max_number_of_members",
                    "Cannot add new organization members, account limit has been reached: the plan of '" + access.username()
                            + "' allows no more members (the owner counts as one).");
        }
    }

    private void requireNotOwner(Policy.OrganizationAccess access, String username) {
        String owner = accounts.byId(access.ownerId()).map(Account::username).orElse(null);
        if (username.equals(owner)) {
            throw ApiException.permissionDenied("'" + username + "' owns '" + access.username()
                    + "'; the owner is not a member and can only change by an ownership transfer.");
        }
    }

    private static ApiException alreadyMember(Account person, Policy.OrganizationAccess access) {
        return ApiException.validation("Field 'member': '" + person.username() + "' is already a member of '" + access.username() + "'.");
    }

    private static ApiException notAMember(String username, Policy.OrganizationAccess access) {
        return ApiException.notFound("'" + username + "' is not a member of '" + access.username() + "'.");
    }

    private static Map<String, Object> row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organization", rs.getString("organization"));
        out.put("member", rs.getString("member"));
        out.put("role", rs.getString("role"));
        out.put("is_public", rs.getBoolean("is_public"));
        out.put("created_by", rs.getString("created_by"));
        out.put("updated_by", rs.getString("updated_by"));
        out.put("created_at", rs.getObject("created_at", java.time.OffsetDateTime.class));
        out.put("updated_at", rs.getObject("updated_at", java.time.OffsetDateTime.class));
        return out;
    }
}
