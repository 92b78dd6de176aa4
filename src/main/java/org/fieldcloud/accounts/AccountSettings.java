package org.fieldcloud.accounts;

import java.time.OffsetDateTime;
import java.util.List;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.permissions.Policy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A person's own account (name, e-mail, password, API tokens) and staff's list of people, for the web pages.
 * Every method names whose account it changes from the signed-in actor, never from a form field.
 */
@Service
public class AccountSettings {

    static final int MIN_PASSWORD_LENGTH = 8;

    private final JdbcClient jdbc;
    private final Accounts accounts;
    private final Logins logins;
    private final Passwords passwords;
    private final Policy policy;
    private final Tokens tokens;

    AccountSettings(JdbcClient jdbc, Accounts accounts, Logins logins, Passwords passwords, Policy policy, Tokens tokens) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.logins = logins;
        this.passwords = passwords;
        this.policy = policy;
        this.tokens = tokens;
    }

    /** A live API token: never its key (only its hash is stored), but which client holds it and when it was last used. */
    public record TokenView(long id, String clientType, String userAgent, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
                            OffsetDateTime expiresAt) { }

    public Account me(Actor actor) {
        return accounts.byId(actor.requireUserId()).orElseThrow(ApiException::notAuthenticated);
    }

    public void updateProfile(Actor actor, String firstName, String lastName, String email) {
        Account me = me(actor);
        AccountRules.checkName("first_name", firstName);
        AccountRules.checkName("last_name", lastName);
        if (!email.isEmpty() && !email.equalsIgnoreCase(me.email())) {
            AccountRules.checkEmail("email", email);
            if (accounts.emailTaken(email, me.id())) {
                throw ApiException.badRequest("Field 'email': a user with the e-mail '" + email + "' already exists.");
            }
        }
        jdbc.sql("UPDATE users SET first_name = :f, last_name = :l, email = :e WHERE id = :id")
                .param("f", firstName).param("l", lastName).param("e", email).param("id", me.id()).update();
    }

    /** The current password is checked like a sign-in (it counts towards the lock-out), so a left-open session cannot take the account. */
    public void changePassword(Actor actor, String current, String replacement, String address) {
        Account me = me(actor);
        if (replacement.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("Field 'new_password' must be at least " + MIN_PASSWORD_LENGTH + " characters long.");
        }
        try {
            logins.verify(me.username(), "", current, address);
        } catch (ApiException e) {
            if (e.status().value() == 401) {
                throw ApiException.badRequest("Field 'current_password': " + e.getMessage());
            }
            throw e;
        }
        jdbc.sql("UPDATE users SET password_hash = :h WHERE id = :id").param("h", passwords.hash(replacement)).param("id", me.id()).update();
    }

    public List<TokenView> tokens(Actor actor) {
        return jdbc.sql("""
                SELECT id, client_type, user_agent, created_at, last_used_at, expires_at FROM auth_tokens
                 WHERE user_id = :u AND expires_at > now() ORDER BY coalesce(last_used_at, created_at) DESC""")
                .param("u", actor.requireUserId())
                .query((rs, n) -> new TokenView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                        rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class)))
                .list();
    }

    /** Only the actor's own tokens: another person's token id matches nothing. */
    public void revokeToken(Actor actor, long tokenId) {
        int revoked = jdbc.sql("UPDATE auth_tokens SET expires_at = now() WHERE id = :id AND user_id = :u AND expires_at > now()")
                .param("id", tokenId).param("u", actor.requireUserId()).update();
        if (revoked == 0) {
            throw ApiException.notFound("no live token " + tokenId + " of yours.");
        }
        tokens.forgetCached(actor.requireUserId());
    }

    public List<Account> people(Actor actor) {
        policy.requireStaff(actor, "list people");
        return jdbc.sql("SELECT " + Accounts.COLUMNS + " FROM users WHERE type = 1 ORDER BY lower(username)").query(Accounts::map).list();
    }

    public Account createPerson(Actor actor, Accounts.NewPerson person) {
        policy.requireStaff(actor, "create people");
        if (person.password().length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("Field 'password' must be at least " + MIN_PASSWORD_LENGTH + " characters long.");
        }
        return accounts.createPerson(person);
    }

    /** Deactivated people cannot sign in, their tokens stop working and their open sessions end at the next request. */
    public void setActive(Actor actor, String username, boolean active) {
        policy.requireStaff(actor, "deactivate people");
        if (username.equals(actor.username()) && !active) {
            throw ApiException.badRequest("You cannot deactivate your own account.");
        }
        long id = jdbc.sql("UPDATE users SET is_active = :a WHERE username = :u AND type = 1 RETURNING id").param("a", active).param("u", username)
                .query(Long.class).optional().orElseThrow(() -> ApiException.notFound("no person named '" + username + "'."));
        tokens.forgetCached(id);
    }
}
