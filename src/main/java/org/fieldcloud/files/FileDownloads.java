package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.catalina.Globals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * Sends a stored blob as a file download the way the reference does (§1.5): ETag, {@code If-None-Match},
 * byte ranges, content type and disposition. Project files and package files go out through here alike.
 */
@Component
public class FileDownloads {

    private static final Logger log = LoggerFactory.getLogger(FileDownloads.class);
    private static final int COPY_BUFFER = 64 * 1024;

    private final BlobStore store;

    FileDownloads(BlobStore store) {
        this.store = store;
    }

    /** One stored blob: where it is, how big, its ETag and when it was stored. */
    public record Blob(String storageKey, long size, String etag, OffsetDateTime modifiedAt) { }

    /** Answers the request for {@code name} with {@code blob}: 304, 206 or 200 (416 for a range beyond the file). */
    public void send(Blob blob, String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.ETAG, "\"" + blob.etag() + "\"");
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), blob.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        ByteRange range = ByteRange.parse(request.getHeader(HttpHeaders.RANGE), blob.size());
        response.setContentType(MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM).toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(FileNames.basename(name)));
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, blob.modifiedAt().toInstant().toEpochMilli());
        long start = range == null ? 0 : range.start();
        long end = range == null ? blob.size() - 1 : range.end();
        if (range != null) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + blob.size());
        }
        response.setContentLengthLong(end - start + 1);
        if (!"HEAD".equals(request.getMethod()) && blob.size() > 0) {
            send(blob.storageKey(), start, end, request, response);
        }
    }

    /**
     * A blob that is a local file goes out through Tomcat's sendfile (kernel to socket, no copy through the
     * heap), as Tomcat serves static files; otherwise, or over TLS where Tomcat offers no sendfile, it is copied.
     */
    private void send(String key, long start, long end, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Path> file = store.localFile(key);
        if (file.isPresent() && Boolean.TRUE.equals(request.getAttribute(Globals.SENDFILE_SUPPORTED_ATTR))) {
            request.setAttribute(Globals.SENDFILE_FILENAME_ATTR, file.get().toString());
            request.setAttribute(Globals.SENDFILE_FILE_START_ATTR, start);
            request.setAttribute(Globals.SENDFILE_FILE_END_ATTR, end + 1);
            return;
        }
        stream(key, start, end, response);
    }

    private void stream(String key, long start, long end, HttpServletResponse response) throws IOException {
        try (InputStream in = store.read(key, start, end)) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (org.apache.catalina.connector.ClientAbortException e) {
            log.debug("Client closed the connection during a download: {}", e.getMessage());
        }
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .map(t -> t.replace("\"", ""))
                .anyMatch(t -> t.equals(etag) || t.equals("*"));
    }

    static String contentDisposition(String basename) {
        String ascii = basename.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                ? basename : basename.codePoints().mapToObj(c -> c >= 0x20 && c < 0x7f ? Character.toString(c) : "_").collect(Collectors.joining());
        String header = "attachment; filename=\"" + ascii.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return ascii.equals(basename) ? header
                : header + "; filename*=UTF-8''" + UriUtils.encode(basename, StandardCharsets.UTF_8);
    }
}
