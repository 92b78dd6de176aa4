package org.fieldcloud.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.fieldcloud.api.ApiErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While the metadata database is unreachable (restarted, failed over, network cut) a request cannot be served, but
 * that is not the server's bug: the caller gets {@code 503 service_unavailable} with {@code Retry-After}, which
 * clients retry, instead of a 500. Readiness reports the same outage (its {@code db} check). Nothing here holds
 * state: once the database answers again the pool's next connection succeeds and requests are served.
 */
final class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);
    static final String RETRY_AFTER_SECONDS = "5";
    static final String MESSAGE = "The database is unavailable at the moment; try again shortly.";

    private DatabaseOutage() { }

    /** A lost or refused database connection: SQLSTATE class 08 (connection), 57P01–57P03 (shut down, crashed, starting), a pool timeout. */
    static boolean isOutage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DataAccessResourceFailureException || c instanceof CannotCreateTransactionException
                    || c instanceof RecoverableDataAccessException || c instanceof SQLTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().matches("57P0[123]"))) {
                return true;
            }
            // Hikari closes a connection whose socket broke (without a SQLSTATE); a later rollback on it says so.
            if (c instanceof SQLException e && e.getSQLState() == null && "Connection is closed".equals(e.getMessage())) {
                return true;
            }
            // A rollback on a connection the pool already closed after the cut: what failed first tells.
            if (c instanceof TransactionSystemException e && e.getApplicationException() != null && isOutage(e.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    /** Controllers: consulted before the generic handler that would answer 500. */
    @RestControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class Handler {
        @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class, RecoverableDataAccessException.class})
        ResponseEntity<Map<String, String>> unavailable(Exception e, HttpServletRequest request) {
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getClass().getSimpleName());
            ResponseEntity<Map<String, String>> body = ApiErrorHandler.body(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", MESSAGE);
            return ResponseEntity.status(body.getStatusCode()).header("Retry-After", RETRY_AFTER_SECONDS).body(body.getBody());
        }

        /** A commit or rollback that failed because its connection was cut; any other such failure stays a 500. */
        @ExceptionHandler(TransactionSystemException.class)
        ResponseEntity<Map<String, String>> transaction(TransactionSystemException e, HttpServletRequest request) {
            if (isOutage(e)) {
                return unavailable(e, request);
            }
            log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
            return ApiErrorHandler.body(HttpStatus.INTERNAL_SERVER_ERROR, "unknown_error", "QFieldcloud Unknown Error");
        }
    }

    /** Filters (token authentication reads the database before any controller): the same answer. */
    @Component
    static class Filter extends OncePerRequestFilter implements Ordered {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } catch (RuntimeException | ServletException e) {
                if (!isOutage(e) || response.isCommitted()) {
                    throw e;
                }
                log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getClass().getSimpleName());
                response.resetBuffer();
                response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
                response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
                response.setContentType("application/json");
                response.getOutputStream().write(("{\"code\":\"service_unavailable\",\"message\":\"" + MESSAGE + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Right after the request id, so that it wraps authentication and the answer still carries the id. */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 1;
        }
    }
}
