package org.fieldcloud.organizations;

import org.fieldcloud.support.TestData;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One organization with an actor of every kind of permissions.md: owner (9), admin (10), member (11),
 * creator (C) and an unrelated person (2). Anonymous (1) is the null user.
 */
record OrgWorld(TestData data, TestData.Org org, TestData.User owner, TestData.User admin, TestData.User member,
                TestData.User creator, TestData.User outsider) {

    enum Actor { ANONYMOUS, OUTSIDER, OWNER, ADMIN, MEMBER, CREATOR }

    static OrgWorld create(TestData data) {
        TestData.User owner = data.person("owner");
        TestData.Org org = data.organization(owner);
        TestData.User admin = data.person("admin");
        TestData.User member = data.person("member");
        TestData.User creator = data.person("creator");
        data.member(org, admin, "admin");
        data.member(org, member, "member");
        data.member(org, creator, "creator");
        return new OrgWorld(data, org, owner, admin, member, creator, data.person("outsider"));
    }

    TestData.User user(Actor actor) {
        return switch (actor) {
            case ANONYMOUS -> null;
            case OUTSIDER -> outsider;
            case OWNER -> owner;
            case ADMIN -> admin;
            case MEMBER -> member;
            case CREATOR -> creator;
        };
    }

    String name() {
        return org.username();
    }

    JdbcClient jdbc() {
        return data.jdbc();
    }

    /** A person without password or token: a cheap target for actions that do not need them to log in. */
    static String plainPerson(TestData data, String prefix) {
        String username = TestData.unique(prefix);
        data.jdbc().sql("INSERT INTO users (username, type, email, plan_id) VALUES (:u, 1, :e, (SELECT id FROM plans WHERE is_default AND user_type = 1))")
                .param("u", username).param("e", username + "@example.org").update();
        return username;
    }

    long idOf(String username) {
        return jdbc().sql("SELECT id FROM users WHERE username = :u").param("u", username).query(Long.class).single();
    }

    /** A fresh person who is a member (role {@code member}) of the organization. */
    String newMember() {
        String username = plainPerson(data, "target");
        jdbc().sql("INSERT INTO organization_members (organization_id, member_id, role) VALUES (:o, :m, 'member')")
                .param("o", org.id()).param("m", idOf(username)).update();
        return username;
    }

    long memberCount() {
        return jdbc().sql("SELECT count(*) FROM organization_members WHERE organization_id = :o").param("o", org.id()).query(Long.class).single();
    }

    long teamCount() {
        return jdbc().sql("SELECT count(*) FROM teams WHERE organization_id = :o").param("o", org.id()).query(Long.class).single();
    }

    String roleOf(String username) {
        return jdbc().sql("SELECT m.role FROM organization_members m JOIN users u ON u.id = m.member_id WHERE m.organization_id = :o AND u.username = :u")
                .param("o", org.id()).param("u", username).query(String.class).optional().orElse(null);
    }
}
