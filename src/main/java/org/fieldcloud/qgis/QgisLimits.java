package org.fieldcloud.qgis;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code FIELDCLOUD_QGIS_MAX_PROJECT_FILE_BYTES} (default 64 MiB): the largest {@code .qgs} accepted at upload and
 * read by jobs, and the most a {@code .qgz} may inflate to. A project file is parsed into one DOM tree of several
 * times its size, so this bounds the memory one upload can make a job use (D10.6).
 */
@ConfigurationProperties("fieldcloud.qgis")
public record QgisLimits(@DefaultValue("67108864") long maxProjectFileBytes) {

    /** The defaults, for reading project files outside the server (tests, tools). */
    public static final QgisLimits DEFAULT = new QgisLimits(64L * 1024 * 1024);

    public QgisLimits {
        if (maxProjectFileBytes < 1024) {
            throw new IllegalStateException("FIELDCLOUD_QGIS_MAX_PROJECT_FILE_BYTES must be at least 1024, got " + maxProjectFileBytes + ".");
        }
    }
}
