package org.fieldcloud.files;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code fieldcloud_storage_bytes}: bytes of every stored file version, read from the database at each scrape. */
@Component
class StorageMetrics {

    StorageMetrics(JdbcClient jdbc, MeterRegistry meters) {
        Gauge.builder("fieldcloud_storage_bytes", jdbc, j -> j.sql("SELECT coalesce(sum(size), 0) FROM file_versions").query(Long.class).single())
                .description("Bytes of all stored project file versions").register(meters);
    }
}
