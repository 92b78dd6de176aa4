package org.fieldcloud.files;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the file rules need to know about a project and its owner's plan. */
record ProjectState(UUID id, long ownerId, String projectType, boolean hasRestrictedFiles, String qgisFileName,
                    int keepVersions, long quotaBytes) {

    static ProjectState load(JdbcClient jdbc, UUID projectId, boolean lock) {
        return jdbc.sql("""
                SELECT p.id, p.owner_id, p.project_type, p.has_restricted_projectfiles, p.the_qgis_file_name,
                       CASE WHEN pl.is_premium AND p.storage_keep_versions IS NOT NULL
                            THEN p.storage_keep_versions ELSE pl.storage_keep_versions END,
                       pl.storage_quota_bytes
                  FROM projects p
                  JOIN users u ON u.id = p.owner_id
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = u.type))
                 WHERE p.id = :id
                """ + (lock ? " FOR UPDATE OF p" : ""))
                .param("id", projectId)
                .query((rs, n) -> new ProjectState(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getInt(6), rs.getLong(7)))
                .optional()
                .orElseThrow(() -> org.fieldcloud.api.ApiException.notFound("no project with id " + projectId + "."));
    }

    boolean isRestricted(String filename) {
        return FileNames.isRestricted(filename, qgisFileName);
    }
}
