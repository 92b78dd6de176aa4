package org.fieldcloud.files;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.fieldcloud.ops.AdvisoryLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps storage in step with the database through the {@code orphan_blobs} table: blobs of deleted rows are
 * removed right after the deleting transaction (and by the periodic sweep if that fails), and blobs of uploads
 * that never reached their commit (crash, dropped connection) are removed once their grace period has passed.
 */
@Component
class Blobs {

    /** Longer than any upload may take: a pending upload's blob is kept at least this long. */
    static final Duration UPLOAD_GRACE = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(Blobs.class);

    private final BlobStore store;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    Blobs(BlobStore store, JdbcClient jdbc, TransactionTemplate tx) {
        this.store = store;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    BlobStore store() {
        return store;
    }

    /** Registers the key of an upload about to start, so that a crash before its commit leaves a trace. */
    void registerPending(String key) {
        jdbc.sql("INSERT INTO orphan_blobs (storage_key, not_before) VALUES (:k, now() + make_interval(secs => :s))")
                .param("k", key).param("s", UPLOAD_GRACE.toSeconds()).update();
    }

    /** Within the version's transaction: the blob now belongs to a row. */
    void adopt(String key) {
        jdbc.sql("DELETE FROM orphan_blobs WHERE storage_key = :k").param("k", key).update();
    }

    /**
     * An upload that failed: remove its blob now, unless its version was committed after all (a commit whose
     * acknowledgement was lost leaves no pending row, and then the blob belongs to a listed version). The pending row
     * is made due first and removed only after the blob, so the sweep finishes whatever this cannot.
     */
    void discard(String key) {
        try {
            int pending = jdbc.sql("UPDATE orphan_blobs SET not_before = now() WHERE storage_key = :k").param("k", key).update();
            if (pending == 0) {
                return;
            }
            store.delete(key);
            jdbc.sql("DELETE FROM orphan_blobs WHERE storage_key = :k").param("k", key).update();
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove the blob of a failed upload; the sweep will: {}", e.getMessage());
        }
    }

    /**
     * Removes the blobs whose rows are gone, unless a backup is copying blobs right now (it must find every blob its
     * database snapshot refers to): then they wait for the next round.
     */
    void collect() {
        tx.executeWithoutResult(status -> {
            if (jdbc.sql("SELECT pg_try_advisory_xact_lock_shared(" + AdvisoryLocks.BLOB_DELETION + ")").query(Boolean.class).single()) {
                collectUnlocked();
            }
        });
    }

    private void collectUnlocked() {
        for (String key : jdbc.sql("SELECT storage_key FROM orphan_blobs WHERE not_before <= now() ORDER BY not_before LIMIT 1000")
                .query(String.class).list()) {
            try {
                store.delete(key);
                jdbc.sql("DELETE FROM orphan_blobs WHERE storage_key = :k AND not_before <= now()").param("k", key).update();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not remove an orphaned blob; retrying at the next sweep: {}", e.getMessage());
                return;
            }
        }
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${fieldcloud.files.sweep-interval:PT1H}")
    void sweep() {
        collect();
        try {
            store.sweepIncomplete(Instant.now().minus(UPLOAD_GRACE));
        } catch (IOException | RuntimeException e) {
            log.warn("Sweeping unfinished uploads failed: {}", e.getMessage());
        }
    }
}
