package org.fieldcloud.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.fieldcloud.api.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and writes accounts. The public face of the accounts feature for the other features. */
@Service
public class Accounts {

    static final String COLUMNS = "id, username, type, email, first_name, last_name, is_active, is_staff, date_joined";

    private final JdbcClient jdbc;
    private final Passwords passwords;

    public Accounts(JdbcClient jdbc, Passwords passwords) {
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    public record NewPerson(String username, String email, String password, String firstName, String lastName, boolean staff) { }

    public Optional<Account> byUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = :u").param("u", username).query(Accounts::map).optional();
    }

    public Optional<Account> byId(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id").param("id", id).query(Accounts::map).optional();
    }

    /** Checks the rules and stores a new person; duplicates (ignoring case) are a 400 naming the field. */
    @Transactional
    public Account createPerson(NewPerson p) {
        AccountRules.checkUsername("username", p.username());
        if (!p.email().isEmpty()) {
            AccountRules.checkEmail("email", p.email());
        }
        AccountRules.checkName("first_name", p.firstName());
        AccountRules.checkName("last_name", p.lastName());
        requireUsernameFree(p.username());
        if (!p.email().isEmpty() && emailTaken(p.email(), -1)) {
            throw ApiException.badRequest("Field 'email': a user with the e-mail '" + p.email() + "' already exists.");
        }
        try {
            long id = jdbc.sql("""
                    INSERT INTO users (username, type, email, first_name, last_name, password_hash, is_staff, plan_id)
                    VALUES (:u, 1, :e, :f, :l, :h, :s, (SELECT id FROM plans WHERE is_default AND user_type = 1))
                    RETURNING id""")
                    .param("u", p.username()).param("e", p.email()).param("f", p.firstName()).param("l", p.lastName())
                    .param("h", passwords.hash(p.password())).param("s", p.staff())
                    .query(Long.class).single();
            return byId(id).orElseThrow();
        } catch (DuplicateKeyException e) {
            throw ApiException.badRequest("Field 'username': the username or e-mail is already taken.");
        }
    }

    /** Creates the account row of an organization or team; the caller stores the rest. */
    public long createGroupAccount(String username, int type, String email) {
        requireUsernameFree(username);
        try {
            return jdbc.sql("""
                    INSERT INTO users (username, type, email, plan_id)
                    VALUES (:u, :t, :e, (SELECT id FROM plans WHERE is_default AND user_type = :t AND :t = 2))
                    RETURNING id""")
                    .param("u", username).param("t", type).param("e", email == null ? "" : email)
                    .query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw ApiException.badRequest("The name '" + username + "' is already taken.");
        }
    }

    public void requireUsernameFree(String username) {
        boolean taken = jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE upper(username) = upper(:u))")
                .param("u", username).query(Boolean.class).single();
        if (taken) {
            throw ApiException.badRequest("Field 'username': the name '" + username + "' is already taken (names are compared without regard to case).");
        }
    }

    public boolean emailTaken(String email, long exceptUserId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE type = 1 AND email <> '' AND lower(email) = lower(:e) AND id <> :id)")
                .param("e", email).param("id", exceptUserId).query(Boolean.class).single();
    }

    public boolean anyStaff() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE is_staff AND type = 1)").query(Boolean.class).single();
    }

    static Account map(ResultSet rs, int n) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("username"), rs.getInt("type"), rs.getString("email"),
                rs.getString("first_name"), rs.getString("last_name"), rs.getBoolean("is_active"), rs.getBoolean("is_staff"),
                rs.getObject("date_joined", OffsetDateTime.class));
    }
}
