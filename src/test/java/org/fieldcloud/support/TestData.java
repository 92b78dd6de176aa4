package org.fieldcloud.support;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.accounts.Tokens;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Builds test fixtures straight in the database (persons with tokens, organizations, members, teams,
 * projects, collaborators) so that every feature's tests can start from a known state. Names get a
 * unique suffix so that test classes sharing one server never collide.
 */
@Component
public class TestData {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    public static final String PASSWORD = "correct horse battery staple";

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final Tokens tokens;

    public TestData(JdbcClient jdbc, Accounts accounts, Tokens tokens) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.tokens = tokens;
    }

    public record User(long id, String username, String token) { }

    public record Org(long id, String username, User owner) { }

    public record Team(long id, String username, String shortName, Org org) { }

    public record Project(UUID id, String name, long ownerId) { }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public static String unique(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
    }

    /** A person with a fresh SDK token (SDK tokens are multi-token, so later logins do not expire it). */
    public User person(String prefix) {
        String username = unique(prefix);
        Account a = accounts.createPerson(new Accounts.NewPerson(username, username + "@example.org", PASSWORD, "", "", false));
        return new User(a.id(), a.username(), tokens.issue(a.id(), "sdk|py|test").key());
    }

    public User staff(String prefix) {
        User u = person(prefix);
        jdbc.sql("UPDATE users SET is_staff = true WHERE id = :id").param("id", u.id()).update();
        return u;
    }

    public Org organization(User owner) {
        String name = unique("org");
        long id = accounts.createGroupAccount(name, Account.ORGANIZATION, "");
        jdbc.sql("INSERT INTO organizations (user_id, owner_id, created_by) VALUES (:id, :o, :o)")
                .param("id", id).param("o", owner.id()).update();
        return new Org(id, name, owner);
    }

    public void member(Org org, User user, String role) {
        jdbc.sql("INSERT INTO organization_members (organization_id, member_id, role) VALUES (:o, :u, :r)")
                .param("o", org.id()).param("u", user.id()).param("r", role).update();
    }

    public void defaultRole(Org org, String role) {
        jdbc.sql("UPDATE organizations SET default_project_role_for_members = :r WHERE user_id = :o")
                .param("r", role).param("o", org.id()).update();
    }

    public Team team(Org org, User... members) {
        String shortName = unique("team");
        String username = "@" + org.username() + "/" + shortName;
        long id = accounts.createGroupAccount(username, Account.TEAM, "");
        jdbc.sql("INSERT INTO teams (user_id, organization_id) VALUES (:id, :o)").param("id", id).param("o", org.id()).update();
        for (User m : members) {
            jdbc.sql("INSERT INTO team_members (team_id, member_id) VALUES (:t, :m)").param("t", id).param("m", m.id()).update();
        }
        return new Team(id, username, shortName, org);
    }

    public Project project(long ownerId, boolean isPublic) {
        UUID id = UUID.randomUUID();
        String name = unique("project");
        jdbc.sql("INSERT INTO projects (id, name, owner_id, is_public, created_by) VALUES (:id, :n, :o, :p, :o)")
                .param("id", id).param("n", name).param("o", ownerId).param("p", isPublic).update();
        return new Project(id, name, ownerId);
    }

    public Project project(User owner) {
        return project(owner.id(), false);
    }

    public Project project(Org org) {
        return project(org.id(), false);
    }

    public void collaborator(Project project, long collaboratorId, String role) {
        jdbc.sql("INSERT INTO project_collaborators (project_id, collaborator_id, role) VALUES (:p, :c, :r)")
                .param("p", project.id()).param("c", collaboratorId).param("r", role).update();
    }

    public void collaborator(Project project, User user, String role) {
        collaborator(project, user.id(), role);
    }
}
