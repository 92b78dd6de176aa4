package org.fieldcloud.projects;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The project list as the server computed it before issue 12 (commit 3c67533): the caller's roles from
 * {@code project_roles_of} for every project, per-row subqueries, each row a {@code LinkedHashMap} serialized by
 * Jackson. Kept as the oracle of {@link ProjectListBodyTest}: the faster list must produce the very same bytes.
 * The SQL is copied on purpose; it must not follow later changes of the main code.
 */
final class LegacyProjectList {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private static final String SELECT = """
            SELECT p.id, p.name, p.project_type, u.username AS owner, p.description, p.is_public, p.created_at, p.updated_at,
                   p.data_last_packaged_at, p.data_last_updated_at, p.restricted_data_last_updated_at, p.is_featured,
                   p.is_attachment_download_on_demand, p.has_restricted_projectfiles, p.overwrite_conflicts,
                   p.file_storage_bytes, p.the_qgis_file_name, r.role AS user_role, r.origin AS user_role_origin,
                   (SELECT s.id FROM projects s WHERE s.owner_id = p.owner_id AND s.project_type = 'shared_datasets'
                       AND s.id <> p.id ORDER BY s.created_at LIMIT 1) AS shared_datasets_project_id,
                   (SELECT k.packaged_at FROM packages k WHERE k.job_id = latest_package(:actor, p.id)) AS my_packaged_at,
                   EXISTS (SELECT 1 FROM jsonb_each(coalesce(p.project_details -> 'layers_by_id', '{}'::jsonb)) l
                            WHERE l.value ->> 'provider_name' IN ('postgres', 'wfs', 'oapif', 'oracle', 'mssql', 'hana', 'arcgisfeatureserver'))
                       AS has_online_vector_data,
                   CASE WHEN (EXISTS (SELECT 1 FROM jobs bj WHERE bj.project_id = p.id AND bj.status IN ('pending', 'queued', 'started'))) THEN 'busy'
                        WHEN p.project_type <> 'shared_datasets' AND (p.the_qgis_file_name IS NULL OR p.project_details IS NULL) THEN 'failed'
                        WHEN NOT p.is_public AND pl.max_premium_collaborators_per_private_project <> -1
                             AND pl.max_premium_collaborators_per_private_project < (
                                SELECT count(*) FROM project_collaborators dc JOIN users du ON du.id = dc.collaborator_id
                                 WHERE dc.project_id = p.id AND du.type = 1 AND NOT dc.is_incognito
                                   AND dc.collaborator_id <> p.owner_id
                                   AND dc.collaborator_id IS DISTINCT FROM (SELECT oo.owner_id FROM organizations oo WHERE oo.user_id = p.owner_id))
                             THEN 'failed'
                        ELSE 'ok' END AS status
              FROM projects p
              JOIN users u ON u.id = p.owner_id
              LEFT JOIN organizations o ON o.user_id = p.owner_id
              JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = u.type))
            """;

    private LegacyProjectList() { }

    /**
     * The rows of one request. {@code where} and {@code orderBy} are the old {@code ProjectListQuery} fragments,
     * {@code window} the old {@code Page.sql()}.
     */
    static List<Map<String, Object>> rows(JdbcClient jdbc, long actor, String roleJoin, String where, Map<String, ?> params,
                                          String orderBy, String window) {
        return jdbc.sql(SELECT + " " + roleJoin + " project_roles_of(:actor) r ON r.project_id = p.id " + where + orderBy + window)
                .param("actor", actor).params(params).query(LegacyProjectList::map).list();
    }

    /** The body of {@code GET /projects/} (no filter, default order, no pagination) as the old code wrote it. */
    static String wholeListBody(JdbcClient jdbc, tools.jackson.databind.ObjectMapper mapper, long actor) {
        return mapper.writeValueAsString(rows(jdbc, actor, "JOIN", " WHERE r.origin <> 'public'", Map.of(),
                " ORDER BY p.is_featured DESC, u.username, p.name, p.id", ""));
    }

    static long total(JdbcClient jdbc, long actor, String roleJoin, String where, Map<String, ?> params) {
        return jdbc.sql("SELECT count(*) FROM projects p JOIN users u ON u.id = p.owner_id " + roleJoin
                        + " project_roles_of(:actor) r ON r.project_id = p.id" + where)
                .param("actor", actor).params(params).query(Long.class).single();
    }

    private static Map<String, Object> map(ResultSet rs, int n) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        String type = rs.getString("project_type");
        boolean isPublic = rs.getBoolean("is_public");
        out.put("id", rs.getObject("id", UUID.class).toString());
        out.put("name", rs.getString("name"));
        out.put("project_type", type);
        out.put("owner", rs.getString("owner"));
        out.put("description", rs.getString("description"));
        out.put("private", !isPublic);
        out.put("is_public", isPublic);
        out.put("created_at", timestamp(rs, "created_at"));
        out.put("updated_at", timestamp(rs, "updated_at"));
        out.put("data_last_packaged_at", timestamp(rs, "data_last_packaged_at"));
        out.put("data_last_updated_at", timestamp(rs, "data_last_updated_at"));
        out.put("restricted_data_last_updated_at", timestamp(rs, "restricted_data_last_updated_at"));
        out.put("can_repackage", !"template".equals(type));
        out.put("needs_repackaging", needsRepackaging(rs));
        out.put("status", rs.getString("status"));
        out.put("user_role", rs.getString("user_role"));
        out.put("user_role_origin", rs.getString("user_role_origin"));
        UUID shared = rs.getObject("shared_datasets_project_id", UUID.class);
        out.put("shared_datasets_project_id", shared == null ? null : shared.toString());
        out.put("is_shared_datasets_project", "shared_datasets".equals(type));
        out.put("is_featured", rs.getBoolean("is_featured"));
        out.put("is_attachment_download_on_demand", rs.getBoolean("is_attachment_download_on_demand"));
        out.put("has_restricted_projectfiles", rs.getBoolean("has_restricted_projectfiles"));
        out.put("overwrite_conflicts", rs.getBoolean("overwrite_conflicts"));
        out.put("file_storage_bytes", rs.getLong("file_storage_bytes"));
        out.put("the_qgis_file_name", rs.getString("the_qgis_file_name"));
        return out;
    }

    private static boolean needsRepackaging(ResultSet rs) throws SQLException {
        if (rs.getString("the_qgis_file_name") == null) {
            return false;
        }
        if (rs.getBoolean("has_online_vector_data")) {
            return true;
        }
        OffsetDateTime packaged = rs.getObject("my_packaged_at", OffsetDateTime.class);
        OffsetDateTime updated = rs.getObject("data_last_updated_at", OffsetDateTime.class);
        return packaged == null || (updated != null && updated.isAfter(packaged));
    }

    private static String timestamp(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : TIMESTAMP.format(t);
    }
}
