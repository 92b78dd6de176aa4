package org.fieldcloud.files;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code FIELDCLOUD_QGIS_MAX_PROJECT_FILE_BYTES} (default 64 MiB): the largest {@code .qgs} accepted at upload and
 * read by jobs, and the most a {@code .qgz} may inflate to. A project file is parsed into one DOM tree of several
 * times its size, so this bounds the memory one upload can make a job use (D10.6).
 */
@ConfigurationProperties("fieldcloud.qgis")
public record QgisFileSettings(@DefaultValue("67108864") long maxProjectFileBytes) {

    public QgisFileSettings {
        if (maxProjectFileBytes < 1024) {
            throw new IllegalStateException("FIELDCLOUD_QGIS_MAX_PROJECT_FILE_BYTES must be at least 1024, got " + maxProjectFileBytes + ".");
        }
    }
}
