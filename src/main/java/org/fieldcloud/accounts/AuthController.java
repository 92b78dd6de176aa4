package org.fieldcloud.accounts;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** Login, logout and the caller's own account (reference §1.3). */
@RestController
@RequestMapping("/api/v1")
class AuthController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuthController.class);

    private static final Map<String, String> CREDENTIALS_PROVIDER =
            Map.of("type", "credentials", "id", "credentials", "name", "Username / Password");

    private final JdbcClient jdbc;
    private final PasswordChecks passwords;
    private final Tokens tokens;
    private final LoginThrottle throttle;
    private final UserViews views;

    AuthController(JdbcClient jdbc, PasswordChecks passwords, Tokens tokens, LoginThrottle throttle, UserViews views) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.views = views;
    }

    @RequestMapping(path = {"/auth/login", "/auth/token"}, method = RequestMethod.POST)
    Map<String, Object> login(RequestFields body, HttpServletRequest request) {
        String password = body.requiredString("password");
        String email = body.string("email").orElse("");
        String username = body.string("username").orElse("");
        if (!email.isEmpty()) {
            AccountRules.checkEmail("email", email);
        }
        String login = email.isEmpty() ? username : email;
        if (login.isEmpty()) {
            throw failed();
        }
        String address = request.getRemoteAddr();
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
        Tokens.Issued issued = tokens.issue(user.get().id(), request.getHeader("User-Agent"));
        Account account = user.get().account();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.key());
        out.put("expires_at", issued.expiresAt());
        out.put("username", account.username());
        out.put("type", String.valueOf(account.type()));
        out.put("email", account.email());
        out.put("avatar_url", null);
        out.put("first_name", account.firstName());
        out.put("last_name", account.lastName());
        out.put("full_name", account.fullName());
        return out;
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

    @RequestMapping(path = "/auth/logout", method = {RequestMethod.POST, RequestMethod.GET})
    Map<String, String> logout(Actor actor) {
        if (!actor.anonymous()) {
            tokens.expireAll(actor.userId());
        }
        return Map.of("detail", "Successfully logged out.");
    }

    @GetMapping("/auth/user")
    Map<String, Object> user(Actor actor) {
        actor.requireUserId();
        return views.complete(jdbcAccount(actor.userId()));
    }

    @GetMapping("/auth/providers")
    List<Map<String, String>> providers() {
        return List.of(CREDENTIALS_PROVIDER);
    }

    @GetMapping("/server/info")
    Map<String, Object> serverInfo() {
        Map<String, Object> whitelabel = new LinkedHashMap<>();
        whitelabel.put("site_title", "FieldCloud");
        whitelabel.put("logo_navbar", null);
        whitelabel.put("logo_main", null);
        whitelabel.put("favicon", null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("whitelabel", whitelabel);
        out.put("auth_providers", List.of(CREDENTIALS_PROVIDER));
        out.put("signup_url", null);
        return out;
    }

    private record Candidate(long id, String hash, Account account) { }

    /** Case-insensitive match of an active person by e-mail (when given) or by username. */
    private Optional<Candidate> findPerson(String username, String email) {
        String where = email.isEmpty() ? "upper(username) = upper(:v)" : "lower(email) = lower(:v) AND email <> ''";
        return jdbc.sql("SELECT password_hash, " + Accounts.COLUMNS + " FROM users WHERE type = 1 AND is_active AND " + where)
                .param("v", email.isEmpty() ? username : email)
                .query((rs, n) -> new Candidate(rs.getLong("id"), rs.getString("password_hash"), Accounts.map(rs, n)))
                .optional();
    }

    private Account jdbcAccount(long id) {
        return jdbc.sql("SELECT " + Accounts.COLUMNS + " FROM users WHERE id = :id").param("id", id).query(Accounts::map).single();
    }

    private static ApiException failed() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "authentication_failed",
                "Authentication failed: unknown user or wrong password.");
    }

    private static ApiException tooMany() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "too_many_failed_login_attempts",
                "Too many failed login attempts! This login is locked for 30 minutes from this address.");
    }
}
