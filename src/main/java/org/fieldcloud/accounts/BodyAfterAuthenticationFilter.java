package org.fieldcloud.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiWebConfig;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * D10.6: request bodies are read only after authentication. Runs right after the token filter and answers an
 * anonymous request that carries a body before anything reads it (the multipart resolver would otherwise spool
 * it to disk, a form body would be parsed into memory), except for login, which is the authentication itself and
 * is instead held to a small declared size. The answer is flushed at once so the client does not have to send
 * the rest of its body to learn it was refused.
 */
class BodyAfterAuthenticationFilter extends OncePerRequestFilter {

    static final int MAX_LOGIN_BODY_BYTES = 16 * 1024;
    /** Login is the authentication itself; logout answers anonymous callers too (reference) and never reads its body. */
    private static final Pattern LOGIN = Pattern.compile("^/api/v1/auth/(login|token|logout)/?$");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBody(request)) {
            chain.doFilter(request, response);
        } else if (LOGIN.matcher(request.getRequestURI()).matches()) {
            if (request.getContentLengthLong() < 0) {
                refuse(response, 411, "api_error", "Send the login body with a Content-Length header (at most "
                        + MAX_LOGIN_BODY_BYTES + " bytes).");
            } else if (request.getContentLengthLong() > MAX_LOGIN_BODY_BYTES) {
                refuse(response, 413, "api_error", "The login body is larger than " + MAX_LOGIN_BODY_BYTES
                        + " bytes; send only the username (or email) and password.");
            } else {
                chain.doFilter(request, response);
            }
        } else if (ApiWebConfig.current().anonymous()) {
            refuse(response, 401, "not_authenticated",
                    "Not authenticated: send 'Authorization: Token <key>' obtained from /api/v1/auth/login/; the request body was not read.");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
        response.flushBuffer();
    }
}
