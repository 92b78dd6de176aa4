package org.fieldcloud.files;

import org.fieldcloud.api.ApiException;
import org.springframework.http.HttpStatus;

/** The reference's domain error codes of the files API. */
final class FileErrors {

    private FileErrors() { }

    static ApiException emptyContent(String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, "empty_content",
                "No file was sent: upload it as multipart/form-data in a part named '" + field + "'.");
    }

    static ApiException multipleContents(String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, "multiple_contents",
                "More than one part named '" + field + "' was sent; upload exactly one file per request.");
    }

    static ApiException invalidQgisFile(String filename) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_qgis_project_file",
                "'" + filename + "' is not a QGIS project: it must start with <qgis version=\"X.Y.Z...\">"
                        + " (a .qgz must be a zip holding such a .qgs).");
    }

    static ApiException multipleProjects(String existing) {
        return new ApiException(HttpStatus.BAD_REQUEST, "multiple_projects",
                "This project already has the QGIS project file '" + existing + "'; a project has only one. "
                        + "Upload under that name or delete it first.");
    }

    static ApiException restricted(String filename) {
        return new ApiException(HttpStatus.FORBIDDEN, "restricted_project_modification",
                "'" + filename + "' is a restricted project file (the QGIS project or its sidecars) and this project "
                        + "allows only admins and managers to change it.");
    }

    static ApiException overQuota(long free) {
        return new ApiException(HttpStatus.PAYMENT_REQUIRED, "over_quota",
                "The upload does not fit in the owner's storage quota (" + Math.max(free, 0) + " bytes free). "
                        + "Delete files or old versions, or change the plan.");
    }

    static ApiException qgisTooLarge(String filename, long max) {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "validation_error",
                "'" + filename + "' is larger than the " + max + " bytes a QGIS project file may have on this server"
                        + " (uncompressed, for a .qgz); make the project smaller, e.g. by moving embedded data into layer files.");
    }

    static ApiException lastVersion() {
        return new ApiException(HttpStatus.BAD_REQUEST, "explicit_deletion_of_last_version",
                "This is the file's only version: delete the file itself instead of its last version.");
    }

    static ApiException incompleteUpload(String why) {
        return ApiException.badRequest("The upload was incomplete or not valid multipart data: " + why);
    }
}
