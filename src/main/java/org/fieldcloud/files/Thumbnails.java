package org.fieldcloud.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Stores a project's thumbnail (one per project; the old blob goes through the orphan sweep). */
@Service
public class Thumbnails {

    private final JdbcClient jdbc;
    private final Blobs blobs;

    Thumbnails(JdbcClient jdbc, Blobs blobs) {
        this.jdbc = jdbc;
        this.blobs = blobs;
    }

    /** Replaces the project's thumbnail with a checked PNG or JPEG image ({@code format} "png" or "jpeg"). */
    public void store(UUID project, byte[] image, String format) throws IOException {
        // The key's extension records the format, which the download's content type is taken from.
        String key = "projects/" + project + "/meta/thumbnail_v"
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + UUID.randomUUID().toString().substring(0, 8) + ("jpeg".equals(format) ? ".jpg" : ".png");
        blobs.registerPending(key);
        try {
            blobs.store().write(key, new ByteArrayInputStream(image));
            jdbc.sql("""
                    INSERT INTO project_thumbnails (project_id, storage_key, size) VALUES (:p, :k, :s)
                    ON CONFLICT (project_id) DO UPDATE SET storage_key = EXCLUDED.storage_key, size = EXCLUDED.size, uploaded_at = now()
                    """).param("p", project).param("k", key).param("s", image.length).update();
            blobs.adopt(key);
        } catch (IOException | RuntimeException e) {
            blobs.discard(key);
            throw e;
        }
        blobs.collect();
    }
}
