package org.fieldcloud.backups;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.fieldcloud.ops.StatusDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled backups (seed 002: at least every 12 hours): every {@code FIELDCLOUD_BACKUP_INTERVAL} (default PT12H)
 * into {@code FIELDCLOUD_BACKUP_TO} (a directory or {@code s3://bucket/prefix}), keeping the newest {@code FIELDCLOUD_BACKUP_KEEP} (default 14). Off while
 * {@code FIELDCLOUD_BACKUP_TO} is unset. With several nodes, one takes each round (advisory lock). The age of the
 * last good backup is in {@code status/} and in the metric {@code fieldcloud_backup_age_seconds}.
 */
@Component
@Profile("!admin")
class BackupSchedule implements StatusDetail {

    private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);
    private static final long ROUND_LOCK = 0x4643_424B_5550_0002L;

    private final Backups backups;
    private final S3Backups s3;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final String target;
    private final int keep;

    BackupSchedule(Backups backups, S3Backups s3, JdbcClient jdbc, TransactionTemplate tx, MeterRegistry metrics,
                   @Value("${fieldcloud.backup.to:}") String target, @Value("${fieldcloud.backup.keep:14}") int keep) {
        this.backups = backups;
        this.s3 = s3;
        this.jdbc = jdbc;
        this.tx = tx;
        this.target = target;
        this.keep = keep;
        Gauge.builder("fieldcloud_backup_age_seconds", this, s -> s.ageSeconds().map(Long::doubleValue).orElse(Double.NaN))
                .description("Seconds since the last successful backup (NaN: none yet)").register(metrics);
    }

    @Scheduled(initialDelayString = "${fieldcloud.backup.interval:PT12H}", fixedDelayString = "${fieldcloud.backup.interval:PT12H}")
    void round() {
        if (target.isBlank()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            if (!jdbc.sql("SELECT pg_try_advisory_xact_lock(" + ROUND_LOCK + ")").query(Boolean.class).single()) {
                return;
            }
            try {
                if (S3Backups.isS3(target)) {
                    S3Backups.Published p = s3.backup(target);
                    s3.prune(target, keep);
                    log.info("Backup written to {} in {} ({} blobs)", p.key(), S3Backups.Location.parse(target).bucket(), p.result().blobs());
                } else {
                    Backups.Result r = backups.backup(Path.of(target));
                    backups.prune(Path.of(target), keep);
                    log.info("Backup written to {} ({} blobs)", r.location(), r.blobs());
                }
            } catch (IOException | RuntimeException e) {
                log.error("Scheduled backup into {} failed: {}", target, e.getMessage());
            }
        });
    }

    private java.util.Optional<Long> ageSeconds() {
        return ageSeconds(backups.lastSuccess());
    }

    private static java.util.Optional<Long> ageSeconds(Instant last) {
        return last == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.between(last, Instant.now()).toSeconds());
    }

    /** One read of the last backup per status request: the age is derived from it. */
    @Override
    public void addTo(Map<String, Object> status) {
        Instant last = backups.lastSuccess();
        status.put("last_backup_at", last == null ? null : last.toString());
        status.put("last_backup_age_seconds", ageSeconds(last).orElse(null));
    }
}
