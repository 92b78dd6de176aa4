package org.fieldcloud.api;

import org.springframework.http.HttpStatus;

/**
 * An error that reaches the client as {@code {"code","message"}} with a fixed status.
 * The code follows the reference server; the message tells the user what to change.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, null);
    }

    /** An error the client may retry, after the given number of seconds ({@code Retry-After}). */
    public ApiException(HttpStatus status, String code, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    public HttpStatus status() { return status; }

    public String code() { return code; }

    public static ApiException notAuthenticated() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "not_authenticated",
                "Not authenticated: send 'Authorization: Token <key>' obtained from /api/v1/auth/login/.");
    }

    public static ApiException permissionDenied(String what) {
        return new ApiException(HttpStatus.FORBIDDEN, "permission_denied", "Permission denied: " + what);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "object_not_found", "Object not found: " + what);
    }

    /** Request-body problems: a missing, malformed or wrongly typed field. */
    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "api_error", message);
    }

    /** Model rules: the request is well-formed but breaks a rule of the data. */
    public static ApiException validation(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "validation_error", message);
    }
}
