package org.fieldcloud.files;

import java.io.IOException;
import org.fieldcloud.ops.FieldCloudSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the blob store once at start-up; the API never shows which one is in use. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    @Bean
    BlobStore blobStore(StorageSettings storage, FieldCloudSettings settings) throws IOException {
        if (storage.s3Selected()) {
            log.info("Project files are stored in S3: {}", storage.s3());
            return new S3BlobStore(storage.s3());
        }
        if (!"local".equalsIgnoreCase(storage.storage())) {
            throw new IllegalStateException("FIELDCLOUD_STORAGE must be 'local' or 's3', not '" + storage.storage() + "'.");
        }
        var root = settings.dataDir().resolve("files");
        log.info("Project files are stored under {}", root.toAbsolutePath());
        return new LocalBlobStore(root);
    }
}
