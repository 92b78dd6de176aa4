package org.fieldcloud.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiWebConfig;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /actuator/prometheus} shows request rates per endpoint, login failures and JVM internals: it answers only
 * staff tokens or the configured {@code FIELDCLOUD_METRICS_TOKEN} as {@code Authorization: Bearer <token>}.
 * Health stays public (status only).
 */
class MetricsAccessFilter extends OncePerRequestFilter {

    private final MetricsSettings settings;

    MetricsAccessFilter(MetricsSettings settings) {
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/actuator/prometheus");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Actor actor = ApiWebConfig.current();
        if (actor.staff() || bearerMatches(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
        } else if (actor.anonymous()) {
            refuse(response, 401, "not_authenticated", "Metrics need a staff token ('Authorization: Token <key>') or the "
                    + "metrics token ('Authorization: Bearer <FIELDCLOUD_METRICS_TOKEN>').");
        } else {
            refuse(response, 403, "permission_denied", "Permission denied: only staff may read the metrics.");
        }
    }

    private boolean bearerMatches(String header) {
        if (!settings.tokenConfigured() || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                settings.token().getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }
}
