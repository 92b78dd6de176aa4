package org.fieldcloud.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;
import org.springframework.http.HttpStatus;

/** One {@code Range: bytes=S-E} or {@code bytes=S-} window, with the reference's validity rules (§1.5). */
record ByteRange(long start, long end) {

    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d{1,18})-(\\d{0,18})$");

    /** Null when the header is absent; 416 {@code invalid_http_range} when it cannot be served. */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw invalid("'" + header + "' is not of the form 'bytes=START-END' or 'bytes=START-'.");
        }
        long start = Long.parseLong(m.group(1));
        long end = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        if (start >= size || end >= size || (!m.group(2).isEmpty() && end <= start)) {
            throw invalid("the range " + header + " does not fit the file of " + size + " bytes.");
        }
        return new ByteRange(start, end);
    }

    long length() {
        return end - start + 1;
    }

    private static ApiException invalid(String message) {
        return new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "invalid_http_range", "Invalid HTTP range: " + message);
    }
}
