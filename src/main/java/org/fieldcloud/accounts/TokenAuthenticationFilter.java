package org.fieldcloud.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.fieldcloud.api.Actor;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Token <key>} (keyword in any case). A bad token is refused even on
 * endpoints open to anonymous callers, as in the reference; other schemes are ignored.
 */
public class TokenAuthenticationFilter extends OncePerRequestFilter {

    private final Tokens tokens;

    public TokenAuthenticationFilter(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "token", 0, 5)
                || (header.length() > 5 && header.charAt(5) != ' ')) {
            chain.doFilter(request, response);
            return;
        }
        String[] parts = header.trim().split(" ", -1);
        if (parts.length != 2 || parts[1].isEmpty()) {
            reject(response, "authentication_failed",
                    "Authentication failed: the Authorization header must be 'Token <key>' with exactly one key.");
            return;
        }
        Tokens.Lookup lookup = tokens.authenticate(parts[1]);
        if (lookup.actor() == null) {
            String why = switch (lookup.failure()) {
                case EXPIRED -> "the token has expired; log in again.";
                case INACTIVE -> "the account is inactive.";
                default -> "the token is not known; log in again.";
            };
            reject(response, "token_authentication_failed", "Token authentication failed: " + why);
            return;
        }
        Actor actor = lookup.actor();
        List<SimpleGrantedAuthority> authorities = actor.staff() ? List.of(new SimpleGrantedAuthority("ROLE_STAFF")) : List.of();
        var auth = UsernamePasswordAuthenticationToken.authenticated(actor, null, authorities);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static void reject(HttpServletResponse response, String code, String message) throws IOException {
        response.setStatus(401);
        response.setContentType("application/json");
        response.getWriter().write("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
    }
}
