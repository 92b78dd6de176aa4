package org.fieldcloud.accounts;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/users/}: the account directory, staff account creation, profiles and self-deletion. */
@RestController
@RequestMapping("/api/v1/users")
class UsersController {

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final UserViews views;
    private final Policy policy;
    private final OrganizationDirectory organizations;
    private final Tokens tokens;

    UsersController(JdbcClient jdbc, Accounts accounts, UserViews views, Policy policy, OrganizationDirectory organizations, Tokens tokens) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.views = views;
        this.policy = policy;
        this.organizations = organizations;
        this.tokens = tokens;
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, HttpServletRequest request) {
        policy.requireAuthenticated(actor);
        UserListQuery query = UserListQuery.from(request, jdbc, actor, policy);
        Page page = Page.from(request);
        List<Map<String, Object>> rows = query.run(jdbc, page).stream().map(views::publicUser).toList();
        return page.respond(rows, page.active() ? query.count(jdbc) : rows.size());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, RequestFields body) {
        policy.requireStaff(actor, "create user accounts");
        Account created = accounts.createPerson(new Accounts.NewPerson(
                body.requiredNonBlank("username"), body.requiredNonBlank("email"), body.requiredNonBlank("password"),
                body.string("first_name").orElse(""), body.string("last_name").orElse(""), false));
        return ResponseEntity.status(HttpStatus.CREATED).body(views.publicUser(created));
    }

    @GetMapping("/{username}")
    Map<String, Object> get(Actor actor, @PathVariable String username) {
        policy.requireAuthenticated(actor);
        Account target = accounts.byUsername(username).orElseThrow(() -> ApiException.notFound("no user named '" + username + "'."));
        if (target.type() == Account.ORGANIZATION) {
            return organizations.profile(actor, target);
        }
        return target.id() == actor.userId() ? views.complete(target) : views.publicUser(target);
    }

    @RequestMapping(path = "/{username}", method = {RequestMethod.PUT, RequestMethod.PATCH})
    @Transactional
    Map<String, Object> update(Actor actor, @PathVariable String username, RequestFields body) {
        policy.requireAuthenticated(actor);
        Account target = accounts.byUsername(username).orElseThrow(() -> ApiException.notFound("no user named '" + username + "'."));
        if (target.type() == Account.ORGANIZATION) {
            return organizations.updateProfile(actor, target, body);
        }
        policy.requireSelf(actor, target.username(), "update account information");
        updateAccountFields(target, body);
        return views.complete(accounts.byId(target.id()).orElseThrow());
    }

    /** Self-deletion (seed 004): needs {@code "confirm": "<username>"}; refused while owning an organization. */
    @DeleteMapping("/{username}")
    @Transactional
    ResponseEntity<Void> delete(Actor actor, @PathVariable String username, RequestFields body) {
        policy.requireAuthenticated(actor);
        Account target = accounts.byUsername(username).orElseThrow(() -> ApiException.notFound("no user named '" + username + "'."));
        policy.requireSelf(actor, target.username(), "delete an account");
        if (!username.equals(body.string("confirm").orElse(null))) {
            throw ApiException.badRequest("Field 'confirm' must repeat your username ('" + username
                    + "') to confirm that the account and all its personal projects are deleted.");
        }
        List<String> owned = organizations.ownedBy(target.id());
        if (!owned.isEmpty()) {
            throw ApiException.validation("You own the organization(s) " + owned
                    + "; transfer their ownership or delete them before deleting your account.");
        }
        jdbc.sql("DELETE FROM users WHERE id = :id").param("id", target.id()).update();
        tokens.forgetCached(target.id());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{username}/organizations")
    List<Map<String, Object>> organizationsOf(Actor actor, @PathVariable String username) {
        policy.requireSelf(actor, username, "list organizations");
        return organizations.organizationsOf(actor);
    }

    private void updateAccountFields(Account target, RequestFields body) {
        String newName = body.string("username").orElse(target.username());
        if (!newName.equals(target.username())) {
            AccountRules.checkUsername("username", newName);
            if (!newName.equalsIgnoreCase(target.username())) {
                accounts.requireUsernameFree(newName);
            }
        }
        String email = body.string("email").orElse(target.email());
        if (!email.equals(target.email()) && !email.isEmpty()) {
            AccountRules.checkEmail("email", email);
            if (accounts.emailTaken(email, target.id())) {
                throw ApiException.badRequest("Field 'email': a user with the e-mail '" + email + "' already exists.");
            }
        }
        String first = body.string("first_name").orElse(target.firstName());
        String last = body.string("last_name").orElse(target.lastName());
        AccountRules.checkName("first_name", first);
        AccountRules.checkName("last_name", last);
        jdbc.sql("UPDATE users SET username = :u, email = :e, first_name = :f, last_name = :l WHERE id = :id")
                .param("u", newName).param("e", email).param("f", first).param("l", last).param("id", target.id()).update();
    }

    /** The filters of {@code GET /users/} (reference §2.2), turned into one SQL statement. */
    record UserListQuery(String where, Map<String, Object> params, String order) {

        static UserListQuery from(HttpServletRequest r, JdbcClient jdbc, Actor actor, Policy policy) {
            StringBuilder where = new StringBuilder("WHERE true");
            Map<String, Object> params = new java.util.HashMap<>();
            String q = r.getParameter("q");
            String order = "ORDER BY username";
            if (q != null && !q.isEmpty()) {
                where.append(" AND strpos(lower(username), lower(:q)) > 0");
                params.put("q", q);
                order = "ORDER BY strpos(lower(username), lower(:q)), username";
            }
            if ("1".equals(r.getParameter("exclude_organizations"))) where.append(" AND type <> 2");
            if ("1".equals(r.getParameter("exclude_teams"))) where.append(" AND type <> 3");
            boolean invert = "1".equals(r.getParameter("invert"));
            String project = r.getParameter("project");
            String organization = r.getParameter("organization");
            if (project != null && organization != null) {
                throw ApiException.badRequest("Query parameters 'project' and 'organization' cannot be combined.");
            }
            if (project != null) {
                projectFilter(actor, policy, project, invert, where, params);
            }
            if (organization != null) {
                long org = policy.requireOrganization(actor, OrganizationAction.LIST_MEMBERS, organization).organizationId();
                params.put("org", org);
                String excluded = "(id IN (SELECT member_id FROM organization_members WHERE organization_id = :org)"
                        + " OR id = (SELECT owner_id FROM organizations WHERE user_id = :org) OR id = :org"
                        + " OR (type = 3 AND id NOT IN (SELECT user_id FROM teams WHERE organization_id = :org)))";
                where.append(invert ? " AND " + excluded : " AND NOT " + excluded);
            }
            String team = r.getParameter("exclude_members_of_team");
            if (team != null) {
                params.put("team", teamFilter(actor, policy, jdbc, team));
                where.append(" AND id NOT IN (SELECT member_id FROM team_members WHERE team_id = :team)");
            }
            return new UserListQuery(where.toString(), params, order);
        }

        /**
         * Candidates to add as collaborators, or (inverted) the collaborators themselves: either answer tells who
         * collaborates, so it is given only to those who may list the project's collaborators (D10.5), and
         * incognito collaborators count as collaborators only for staff, as everywhere else.
         */
        private static void projectFilter(Actor actor, Policy policy, String project, boolean invert,
                                          StringBuilder where, Map<String, Object> params) {
            UUID id;
            try {
                id = UUID.fromString(project);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("Query parameter 'project': '" + project + "' is not a valid project id.");
            }
            policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, id);
            params.put("project", id);
            params.put("staff", actor.staff());
            String excluded = "(id IN (SELECT collaborator_id FROM project_collaborators WHERE project_id = :project AND (:staff OR NOT is_incognito))"
                    + " OR id = (SELECT owner_id FROM projects WHERE id = :project)"
                    + " OR (type = 3 AND id NOT IN (SELECT t.user_id FROM teams t JOIN projects p ON p.owner_id = t.organization_id WHERE p.id = :project)))";
            where.append(invert ? " AND " + excluded : " AND NOT " + excluded);
        }

        /** Dropping a team's members tells who they are, so only those who may list that organization's teams may (D10.5). */
        private static long teamFilter(Actor actor, Policy policy, JdbcClient jdbc, String team) {
            if (!team.matches("\\d{1,18}")) {
                throw ApiException.validation("Query parameter 'exclude_members_of_team': '" + team + "' is not a team id (a number).");
            }
            long id = Long.parseLong(team);
            String organization = jdbc.sql("SELECT o.username FROM teams t JOIN users o ON o.id = t.organization_id WHERE t.user_id = :t")
                    .param("t", id).query(String.class).optional()
                    .orElseThrow(() -> ApiException.notFound("no team with id " + id + "."));
            policy.requireOrganization(actor, OrganizationAction.LIST_TEAMS, organization);
            return id;
        }

        List<Account> run(JdbcClient jdbc, Page page) {
            return jdbc.sql("SELECT " + Accounts.COLUMNS + " FROM users " + where + " " + order + page.sql())
                    .params(params).query(Accounts::map).list();
        }

        long count(JdbcClient jdbc) {
            return jdbc.sql("SELECT count(*) FROM users " + where).params(params).query(Long.class).single();
        }
    }
}
