package org.fieldcloud.organizations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.accounts.UserViews;
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
 * Teams of an organization (reference §2.4). A team is an account {@code @<org>/<name>}; the wire uses the
 * short name. Listing needs an organization role (permissions.md row 35), changes need org admin (row 36).
 * <p>Decisions where the spec is silent or the reference is quirky:
 * <ul>
 *   <li>Team names: 1 to 100 characters, no leading or trailing white space, no control characters and none of
 *       {@code / \ ? # %} (the short name travels in URL paths). Names are unique within the organization without
 *       regard to case, like every account name; a duplicate is a 400, not the reference's 500.</li>
 *   <li>A person may belong to several teams of the organization (the reference's "already in any team anywhere"
 *       rule is not copied); adding them twice to the same team is a 400 {@code validation_error}.</li>
 *   <li>A team member is given by username (exact) or e-mail (case-insensitive); an unknown one is a 400 naming the
 *       field, as in the reference.</li>
 *   <li>PATCH on a team is not mapped (405) instead of the reference's unconditional 403: PUT renames.</li>
 * </ul>
 */
@Service
public class Teams {

    private static final Pattern NAME = Pattern.compile("^[^/\\\\?#%\\p{Cntrl}]{1,100}$");

    /** Teams with their members in one statement; {@code :id} null selects every team of {@code :org}. */
    private static final String TEAM_SELECT = """
            SELECT u.username,
                   ARRAY(SELECT mu.username FROM team_members tm JOIN users mu ON mu.id = tm.member_id
                          WHERE tm.team_id = t.user_id ORDER BY mu.username) AS members
              FROM teams t JOIN users u ON u.id = t.user_id
             WHERE t.organization_id = :org AND (CAST(:id AS bigint) IS NULL OR t.user_id = :id)""";

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;

    Teams(JdbcClient jdbc, Policy policy, Accounts accounts) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
    }

    private record TeamRef(long id, String shortName, Policy.OrganizationAccess org) { }

    public List<Map<String, Object>> list(Actor actor, String org) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.LIST_TEAMS, org);
        return jdbc.sql(TEAM_SELECT + " ORDER BY u.username").param("org", access.organizationId()).param("id", null)
                .query((rs, n) -> teamRow(rs, access)).list();
    }

    Map<String, Object> get(Actor actor, String org, String team) {
        return view(find(policy.requireOrganization(actor, OrganizationAction.LIST_TEAMS, org), team));
    }

    @Transactional
    public Map<String, Object> create(Actor actor, String org, RequestFields body) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.MANAGE_TEAMS, org);
        String name = validName(body);
        requireFree(access, name, -1);
        long id;
        try {
            id = accounts.createGroupAccount(fullName(access, name), Account.TEAM, "");
        } catch (ApiException e) {
            throw taken(name, access);
        }
        jdbc.sql("INSERT INTO teams (user_id, organization_id) VALUES (:id, :org)").param("id", id).param("org", access.organizationId()).update();
        return view(id, access);
    }

    @Transactional
    public Map<String, Object> rename(Actor actor, String org, String team, RequestFields body) {
        TeamRef ref = find(policy.requireOrganization(actor, OrganizationAction.MANAGE_TEAMS, org), team);
        String name = validName(body);
        requireFree(ref.org(), name, ref.id());
        try {
            jdbc.sql("UPDATE users SET username = :u WHERE id = :id").param("u", fullName(ref.org(), name)).param("id", ref.id()).update();
        } catch (DuplicateKeyException e) {
            throw taken(name, ref.org());
        }
        return view(ref.id(), ref.org());
    }

    /** The team's memberships and project collaborations cascade from its account row. */
    @Transactional
    public void delete(Actor actor, String org, String team) {
        TeamRef ref = find(policy.requireOrganization(actor, OrganizationAction.MANAGE_TEAMS, org), team);
        jdbc.sql("DELETE FROM users WHERE id = :id").param("id", ref.id()).update();
    }

    public List<Map<String, Object>> members(Actor actor, String org, String team) {
        TeamRef ref = find(policy.requireOrganization(actor, OrganizationAction.LIST_TEAMS, org), team);
        return memberNames(ref.id()).stream().map(m -> Map.<String, Object>of("member", m)).toList();
    }

    @Transactional
    public Map<String, Object> addMember(Actor actor, String org, String team, RequestFields body) {
        TeamRef ref = find(policy.requireOrganization(actor, OrganizationAction.MANAGE_TEAMS, org), team);
        String given = body.requiredNonBlank("member");
        Account person = personByNameOrEmail(given);
        requireInOrganization(ref.org(), person);
        try {
            jdbc.sql("INSERT INTO team_members (team_id, member_id) VALUES (:t, :m)").param("t", ref.id()).param("m", person.id()).update();
        } catch (DuplicateKeyException e) {
            throw ApiException.validation("Field 'member': '" + person.username() + "' is already a member of the team '" + ref.shortName() + "'.");
        }
        return Map.of("member", person.username());
    }

    @Transactional
    public void removeMember(Actor actor, String org, String team, String username) {
        TeamRef ref = find(policy.requireOrganization(actor, OrganizationAction.MANAGE_TEAMS, org), team);
        int removed = jdbc.sql("DELETE FROM team_members tm USING users u WHERE u.id = tm.member_id AND tm.team_id = :t AND u.username = :name")
                .param("t", ref.id()).param("name", username).update();
        if (removed == 0) {
            throw ApiException.notFound("'" + username + "' is not a member of the team '" + ref.shortName() + "'.");
        }
    }

    private TeamRef find(Policy.OrganizationAccess access, String team) {
        return jdbc.sql("SELECT t.user_id FROM teams t JOIN users u ON u.id = t.user_id WHERE t.organization_id = :org AND u.username = :name")
                .param("org", access.organizationId()).param("name", fullName(access, team)).query(Long.class).optional()
                .map(id -> new TeamRef(id, team, access))
                .orElseThrow(() -> ApiException.notFound("no team named '" + team + "' in '" + access.username() + "'."));
    }

    private static String validName(RequestFields body) {
        String name = body.requiredNonBlank("team");
        if (name.length() > 100) {
            throw ApiException.badRequest("Field 'team' must be at most 100 characters long, got " + name.length() + ".");
        }
        if (!name.equals(name.strip()) || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Field 'team' must not start or end with white space nor contain control characters or any of / \\ ? # %.");
        }
        return name;
    }

    private void requireFree(Policy.OrganizationAccess access, String name, long exceptTeamId) {
        boolean taken = jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE upper(username) = upper(:u) AND id <> :except)")
                .param("u", fullName(access, name)).param("except", exceptTeamId).query(Boolean.class).single();
        if (taken) {
            throw taken(name, access);
        }
    }

    private Account personByNameOrEmail(String given) {
        return accounts.byUsername(given).filter(Account::person)
                .or(() -> jdbc.sql("SELECT id FROM users WHERE type = 1 AND email <> '' AND lower(email) = lower(:e)")
                        .param("e", given).query(Long.class).optional().flatMap(accounts::byId))
                .orElseThrow(() -> ApiException.badRequest("Field 'member': no person with the username or e-mail '" + given + "'."));
    }

    private void requireInOrganization(Policy.OrganizationAccess org, Account person) {
        boolean belongs = person.id() == org.ownerId() || jdbc.sql(
                        "SELECT EXISTS (SELECT 1 FROM organization_members WHERE organization_id = :org AND member_id = :m)")
                .param("org", org.organizationId()).param("m", person.id()).query(Boolean.class).single();
        if (!belongs) {
            throw ApiException.validation("Field 'member': '" + person.username() + "' is neither a member nor the owner of '"
                    + org.username() + "'; add them to the organization first.");
        }
    }

    private Map<String, Object> view(TeamRef ref) {
        return view(ref.id(), ref.org());
    }

    private Map<String, Object> view(long teamId, Policy.OrganizationAccess access) {
        return jdbc.sql(TEAM_SELECT).param("org", access.organizationId()).param("id", teamId)
                .query((rs, n) -> teamRow(rs, access)).single();
    }

    private static Map<String, Object> teamRow(java.sql.ResultSet rs, Policy.OrganizationAccess access) throws java.sql.SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("team", UserViews.teamShortName(rs.getString("username")));
        out.put("organization", access.username());
        out.put("members", List.of((String[]) rs.getArray("members").getArray()));
        return out;
    }

    private List<String> memberNames(long teamId) {
        return jdbc.sql("SELECT u.username FROM team_members tm JOIN users u ON u.id = tm.member_id WHERE tm.team_id = :t ORDER BY u.username")
                .param("t", teamId).query(String.class).list();
    }

    private static String fullName(Policy.OrganizationAccess access, String name) {
        return "@" + access.username() + "/" + name;
    }

    private static ApiException taken(String name, Policy.OrganizationAccess access) {
        return ApiException.badRequest("Field 'team': '" + access.username() + "' already has a team named '" + name
                + "' (team names are compared without regard to case).");
    }
}
