package org.fieldcloud.files;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} parser: each part's body is an {@link InputStream} that reads straight
 * from the request, with one fixed buffer, so an upload of any size uses constant memory and no temporary file
 * (the servlet container's parser would spool whole parts to disk before the controller sees them).
 * A body that ends before the closing boundary (a dropped connection) makes reads fail with {@link EOFException}.
 */
final class MultipartReader {

    record Part(String name, String filename, InputStream body) { }

    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*([a-z*]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]*)");

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] shift = new int[256];
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private BodyStream current;
    private boolean finished;

    private MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Arrays.fill(shift, delimiter.length);
        for (int k = 0; k < delimiter.length - 1; k++) {
            shift[delimiter[k] & 0xff] = delimiter.length - 1 - k;
        }
        // The first boundary may open the body without a preceding line break: pretend there was one.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** A reader for a multipart/form-data request, or null when the content type is not multipart with a boundary. */
    static MultipartReader of(String contentType, InputStream body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        return new MultipartReader(body, m.group(2) != null ? m.group(2) : m.group(3));
    }

    /** The next part, after skipping what is left of the previous one; null after the closing boundary. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        (current == null ? new BodyStream() : current).transferTo(OutputStreamSink.INSTANCE);
        fill(2);
        if (lim - pos < 2) {
            throw new EOFException("multipart body ended inside a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        String headers = readHeaders();
        String disposition = header(headers, "content-disposition");
        current = new BodyStream();
        return new Part(param(disposition, "name"), param(disposition, "filename"), current);
    }

    private String readHeaders() throws IOException {
        skipLineBreak();
        StringBuilder headers = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line.isEmpty()) {
                return headers.toString();
            }
            headers.append(line).append('\n');
            if (headers.length() > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("multipart part headers are longer than 16 KiB");
            }
        }
    }

    /** Transport padding (spaces) may follow a boundary before its line break. */
    private void skipLineBreak() throws IOException {
        String rest = readLine();
        if (!rest.isBlank()) {
            throw new MalformedMultipartException("unexpected characters after a multipart boundary");
        }
    }

    private String readLine() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = pos + scanned; i + 1 < lim; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 2;
                    return line;
                }
            }
            scanned = Math.max(0, lim - pos - 1);
            if (eof) {
                throw new EOFException("multipart body ended inside part headers");
            }
            if (lim - pos >= MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("multipart header line too long");
            }
            fill(lim - pos + 1);
        }
    }

    private static String header(String headers, String name) {
        for (String line : headers.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String param(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        Matcher m = PARAM.matcher(disposition);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            }
        }
        return null;
    }

    /** Ensures at least {@code n} unread bytes in the buffer unless the request ends first. */
    private void fill(int n) throws IOException {
        if (lim - pos >= n || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
    }

    /**
     * The delimiter's position among the bytes that a read of {@code len} bytes could return, or -1.
     * Boyer-Moore-Horspool: on file data it looks at about one byte in every delimiter length.
     */
    private int indexOfDelimiter(int len) {
        int last = (int) Math.min((long) lim - delimiter.length, (long) pos + len);
        int tail = delimiter.length - 1;
        int i = pos;
        while (i <= last) {
            int j = tail;
            while (j >= 0 && buf[i + j] == delimiter[j]) {
                j--;
            }
            if (j < 0) {
                return i;
            }
            i += shift[buf[i + tail] & 0xff];
        }
        return -1;
    }

    /** One part's body: ends just before the next delimiter, which it consumes. */
    private final class BodyStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            fill(delimiter.length + 1);
            int at = indexOfDelimiter(len);
            if (at == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            // Without a delimiter in sight, all but its possible beginning at the end of the buffer is body.
            int available = at >= 0 ? at - pos : lim - pos - (delimiter.length - 1);
            if (available <= 0) {
                throw new EOFException("multipart body ended before its closing boundary");
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Discards bytes without allocating per call. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) { }

        @Override
        public void write(byte[] b, int off, int len) { }
    }
}
