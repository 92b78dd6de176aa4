package org.fieldcloud.files;

import java.util.UUID;

/**
 * Published after a project file version has been committed. {@code triggersProcessing} follows the reference:
 * the file is outside the attachment directories and is, or sits beside, the project's QGIS file; the jobs
 * feature listens for it to create a {@code process_projectfile} job (one per user while one is active).
 */
public record ProjectFileUploaded(UUID projectId, String filename, long userId, boolean isQgisFile,
                                  boolean triggersProcessing) { }
