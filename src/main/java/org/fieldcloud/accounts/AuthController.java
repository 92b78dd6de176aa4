package org.fieldcloud.accounts;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** Login, logout and the caller's own account (reference §1.3). */
@RestController
@RequestMapping("/api/v1")
class AuthController {

    private static final Map<String, String> CREDENTIALS_PROVIDER =
            Map.of("type", "credentials", "id", "credentials", "name", "Username / Password");

    private final JdbcClient jdbc;
    private final Logins logins;
    private final Tokens tokens;
    private final UserViews views;

    AuthController(JdbcClient jdbc, Logins logins, Tokens tokens, UserViews views) {
        this.jdbc = jdbc;
        this.logins = logins;
        this.tokens = tokens;
        this.views = views;
    }

    @RequestMapping(path = {"/auth/login", "/auth/token"}, method = RequestMethod.POST)
    Map<String, Object> login(RequestFields body, HttpServletRequest request) {
        String password = body.requiredString("password");
        Account account = logins.verify(body.string("username").orElse(""), body.string("email").orElse(""), password,
                request.getRemoteAddr());
        Tokens.Issued issued = tokens.issue(account.id(), request.getHeader("User-Agent"));
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

    private Account jdbcAccount(long id) {
        return jdbc.sql("SELECT " + Accounts.COLUMNS + " FROM users WHERE id = :id").param("id", id).query(Accounts::map).single();
    }
}
