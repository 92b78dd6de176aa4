package org.fieldcloud.accounts;

import java.util.Optional;
import org.fieldcloud.api.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Checking a person's password, for the API login and the web sign-in alike, so both share one lock-out
 * (5 failures per login and client address) and one cap on concurrent password hashes.
 */
@Service
public class Logins {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Logins.class);

    private final JdbcClient jdbc;
    private final PasswordChecks passwords;
    private final LoginThrottle throttle;

    Logins(JdbcClient jdbc, PasswordChecks passwords, LoginThrottle throttle) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    /**
     * The active person with this username (or e-mail, when given) and password; otherwise 401, 401 "too many"
     * once locked, or 429 when every hash slot stays busy. The attempt is counted before the hash is checked.
     */
    public Account verify(String username, String email, String password, String address) {
        if (!email.isEmpty()) {
            AccountRules.checkEmail("email", email);
        }
        String login = email.isEmpty() ? username : email;
        if (login.isEmpty()) {
            throw failed();
        }
        LoginThrottle.Attempt attempt = throttle.count(login, address);
        if (attempt.refused()) {
            throw tooMany();
        }
        Optional<Candidate> user = findPerson(username, email);
        if (!check(password, user, login, address)) {
            throttle.failed(attempt);
            if (attempt.last()) {
                // Control characters are replaced: a login name must not be able to forge log lines.
                log.warn("Logins of '{}' from {} are locked for {} after {} failures", login.replaceAll("\\p{Cntrl}", "?"), address,
                        LoginThrottle.COOL_OFF, LoginThrottle.LIMIT);
            }
            throw attempt.last() ? tooMany() : failed();
        }
        throttle.succeed(login, address);
        return user.get().account();
    }

    /** The attempt was counted before; one the server was too busy to check is not held against the user. */
    private boolean check(String password, Optional<Candidate> user, String login, String address) {
        try {
            return passwords.matches(password, user.map(Candidate::hash).orElse(null));
        } catch (PasswordChecks.Busy busy) {
            throttle.uncount(login, address);
            throw busy;
        }
    }

    private record Candidate(String hash, Account account) { }

    /** Case-insensitive match of an active person by e-mail (when given) or by username. */
    private Optional<Candidate> findPerson(String username, String email) {
        String where = email.isEmpty() ? "upper(username) = upper(:v)" : "lower(email) = lower(:v) AND email <> ''";
        return jdbc.sql("SELECT password_hash, " + Accounts.COLUMNS + " FROM users WHERE type = 1 AND is_active AND " + where)
                .param("v", email.isEmpty() ? username : email)
                .query((rs, n) -> new Candidate(rs.getString("password_hash"), Accounts.map(rs, n)))
                .optional();
    }

    private static ApiException failed() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "authentication_failed",
                "Authentication failed: unknown user or wrong password.");
    }

    static ApiException tooMany() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "too_many_failed_login_attempts",
                "Too many failed login attempts! This login is locked for 30 minutes from this address.");
    }
}
