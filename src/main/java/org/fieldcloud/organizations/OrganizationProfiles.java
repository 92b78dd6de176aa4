package org.fieldcloud.organizations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.AccountRules;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.accounts.OrganizationDirectory;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The Organization object (reference §2.1) and the organization side of the users endpoints.
 * {@code default_project_role_for_members} is part of the object and writable by org admins through
 * {@code PUT/PATCH /users/{org}/}; every project role is accepted, null or "" unsets it.
 */
@Service
class OrganizationProfiles implements OrganizationDirectory {

    private static final String DEFAULT_ROLE = "default_project_role_for_members";

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;

    OrganizationProfiles(JdbcClient jdbc, Policy policy, Accounts accounts) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
    }

    @Override
    public Map<String, Object> profile(Actor actor, Account organization) {
        policy.requireOrganization(actor, OrganizationAction.READ_PROFILE, organization.username());
        return view(actor, organization.id());
    }

    @Override
    @Transactional
    public Map<String, Object> updateProfile(Actor actor, Account organization, RequestFields fields) {
        policy.requireOrganization(actor, OrganizationAction.UPDATE_PROFILE, organization.username());
        String name = fields.string("username").orElse(organization.username());
        if (!name.equals(organization.username())) {
            AccountRules.checkUsername("username", name);
            if (!name.equalsIgnoreCase(organization.username())) {
                accounts.requireUsernameFree(name);
            }
            // Team accounts carry the organization's name ('@org/team'): rename them with it.
            jdbc.sql("UPDATE users SET username = '@' || :new || substr(username, length(:old) + 2) "
                            + "WHERE id IN (SELECT user_id FROM teams WHERE organization_id = :id)")
                    .param("new", name).param("old", organization.username()).param("id", organization.id()).update();
        }
        String email = fields.string("email").orElse(organization.email());
        if (!email.isEmpty() && !email.equals(organization.email())) {
            AccountRules.checkEmail("email", email);
        }
        String first = fields.string("first_name").orElse(organization.firstName());
        String last = fields.string("last_name").orElse(organization.lastName());
        AccountRules.checkName("first_name", first);
        AccountRules.checkName("last_name", last);
        jdbc.sql("UPDATE users SET username = :u, email = :e, first_name = :f, last_name = :l WHERE id = :id")
                .param("u", name).param("e", email).param("f", first).param("l", last).param("id", organization.id()).update();
        jdbc.sql("UPDATE organizations SET updated_at = now() WHERE user_id = :id").param("id", organization.id()).update();
        updateDefaultRole(organization.id(), fields);
        return view(actor, organization.id());
    }

    /** Absent leaves the default role alone; null or "" removes it; anything else must be a project role. */
    private void updateDefaultRole(long organizationId, RequestFields fields) {
        if (!fields.has(DEFAULT_ROLE)) {
            return;
        }
        Object raw = fields.raw(DEFAULT_ROLE);
        String role = raw == null || "".equals(raw) ? null : fields.choice(DEFAULT_ROLE, ProjectRole.NAMES).orElseThrow();
        jdbc.sql("UPDATE organizations SET default_project_role_for_members = :r WHERE user_id = :id")
                .param("r", role).param("id", organizationId).update();
    }

    @Override
    public List<Map<String, Object>> organizationsOf(Actor actor) {
        return jdbc.sql("SELECT r.organization_id FROM " + Policy.ORGANIZATION_ROLES
                        + " r JOIN users u ON u.id = r.organization_id ORDER BY u.username")
                .param("actor", actor.userId()).query(Long.class).list()
                .stream().map(id -> view(actor, id)).toList();
    }

    @Override
    public List<String> ownedBy(long personId) {
        return jdbc.sql("SELECT u.username FROM organizations o JOIN users u ON u.id = o.user_id WHERE o.owner_id = :p ORDER BY 1")
                .param("p", personId).query(String.class).list();
    }

    /** The Organization object with the caller's membership annotations. */
    Map<String, Object> view(Actor actor, long organizationId) {
        return jdbc.sql("""
                SELECT u.username, u.email, ow.username AS owner, r.role, r.origin, r.is_public, o.default_project_role_for_members,
                       ARRAY(SELECT mu.username FROM organization_members m JOIN users mu ON mu.id = m.member_id
                              WHERE m.organization_id = o.user_id AND m.is_public ORDER BY mu.username) AS members,
                       ARRAY(SELECT tu.username FROM teams t JOIN users tu ON tu.id = t.user_id
                              WHERE t.organization_id = o.user_id ORDER BY tu.username) AS teams
                  FROM organizations o
                  JOIN users u ON u.id = o.user_id
                  JOIN users ow ON ow.id = o.owner_id
                  LEFT JOIN organization_roles_of(:actor) r ON r.organization_id = o.user_id
                 WHERE o.user_id = :id""")
                .param("actor", actor.userId()).param("id", organizationId)
                .query((rs, n) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("username", rs.getString("username"));
                    out.put("type", Account.ORGANIZATION);
                    out.put("email", rs.getString("email"));
                    out.put("avatar_url", null);
                    out.put("members", List.of((String[]) rs.getArray("members").getArray()));
                    out.put("organization_owner", rs.getString("owner"));
                    out.put("membership_role", rs.getString("role"));
                    out.put("membership_role_origin", rs.getString("origin"));
                    out.put("membership_is_public", rs.getObject("is_public"));
                    out.put("teams", List.of((String[]) rs.getArray("teams").getArray()).stream()
                            .map(t -> t.substring(t.indexOf('/') + 1)).toList());
                    out.put("default_project_role_for_members", rs.getString("default_project_role_for_members"));
                    return out;
                })
                .optional().orElseThrow(() -> ApiException.notFound("no organization with id " + organizationId + "."));
    }
}
