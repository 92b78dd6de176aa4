package org.fieldcloud.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The reference's pagination: active only with a positive integer {@code limit}; the body stays a bare
 * array and the totals travel in {@code X-Total-Count}, {@code X-Next-Page} and {@code X-Previous-Page}.
 * Queries receive the window (limit/offset) so that only one page is read from the database.
 */
public record Page(Integer limit, int offset) {

    public static Page from(HttpServletRequest request) {
        Integer limit = positiveInt(request.getParameter("limit"));
        Integer offset = limit == null ? null : positiveOrZero(request.getParameter("offset"));
        return new Page(limit, offset == null ? 0 : offset);
    }

    public boolean active() {
        return limit != null;
    }

    /** SQL fragment for the window; both numbers are integers we parsed, never client text. */
    public String sql() {
        return active() ? " LIMIT " + limit + " OFFSET " + offset : "";
    }

    public <T> ResponseEntity<List<T>> respond(List<T> rows, long total) {
        return ResponseEntity.ok().headers(headers(total)).body(rows);
    }

    /** The pagination headers for a list of {@code total} entries; none when not paginated. */
    public HttpHeaders headers(long total) {
        HttpHeaders headers = new HttpHeaders();
        if (!active()) {
            return headers;
        }
        headers.add("X-Total-Count", Long.toString(total));
        if (offset + limit < total) {
            headers.add("X-Next-Page", link(offset + limit));
        }
        if (offset > 0) {
            headers.add("X-Previous-Page", link(Math.max(0, offset - limit)));
        }
        return headers;
    }

    private String link(int newOffset) {
        return ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", newOffset)
                .build().toUriString();
    }

    private static Integer positiveInt(String s) {
        Integer v = parse(s);
        return v != null && v > 0 ? v : null;
    }

    private static Integer positiveOrZero(String s) {
        Integer v = parse(s);
        return v != null && v >= 0 ? v : null;
    }

    private static Integer parse(String s) {
        if (s == null) return null;
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
