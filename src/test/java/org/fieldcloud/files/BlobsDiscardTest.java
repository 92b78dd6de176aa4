package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A failed upload's blob is removed at once, unless its version was committed after all (a lost acknowledgement). */
class BlobsDiscardTest extends ApiTest {

    @Autowired
    private Blobs blobs;

    private String stored(String content) throws Exception {
        String key = "projects/" + UUID.randomUUID() + "/files/" + UUID.randomUUID();
        blobs.registerPending(key);
        blobs.store().write(key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
        return key;
    }

    private String read(String key) throws Exception {
        try (var in = blobs.store().readWhole(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private boolean exists(String key) {
        try (var in = blobs.store().readWhole(key)) {
            return in != null;
        } catch (Exception missing) {
            return false;
        }
    }

    @Test
    void anUploadThatNeverCommittedLosesItsBlobAndItsPendingRow() throws Exception {
        String key = stored("never listed");
        blobs.discard(key);
        assertThat(exists(key)).isFalse();
        assertThat(data.jdbc().sql("SELECT count(*) FROM orphan_blobs WHERE storage_key = :k").param("k", key).query(Long.class).single())
                .isZero();
    }

    @Test
    void aVersionCommittedBeforeTheFailureKeepsItsBlob() throws Exception {
        String key = stored("listed after all");
        blobs.adopt(key);
        blobs.discard(key);
        assertThat(read(key)).isEqualTo("listed after all");
    }
}
