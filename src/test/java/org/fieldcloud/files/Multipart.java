package org.fieldcloud.files;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.fieldcloud.support.Http;

/** Builds multipart/form-data request bodies for the upload tests. */
final class Multipart {

    record Part(String name, String filename, byte[] content) { }

    static final String BOUNDARY = "----fieldcloud-test-" + UUID.randomUUID();
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private Multipart() { }

    static byte[] body(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(head(p.name(), p.filename()));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(tail());
        return out.toByteArray();
    }

    static byte[] head(String name, String filename) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"")
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tail() {
        return ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A single 'file' part whose content is streamed, never held in memory. */
    static InputStream streamed(String field, InputStream content) {
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new java.io.ByteArrayInputStream(head(field, "upload.bin")), content,
                new java.io.ByteArrayInputStream(("\r\n").getBytes(StandardCharsets.US_ASCII)),
                new java.io.ByteArrayInputStream(tail()))));
    }

    static Http.Response post(Http http, String path, List<Part> parts) {
        return http.send("POST", path, CONTENT_TYPE, HttpRequest.BodyPublishers.ofByteArray(body(parts)));
    }

    static Http.Response upload(Http http, UUID project, String name, byte[] content) {
        return post(http, FilesController.location(project, name), List.of(new Part("file", "upload.bin", content)));
    }
}
