package org.fieldcloud.projects;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fieldcloud.permissions.Policy;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * The Project object of the reference (§2.5): the SQL that reads it and the two ways it is written out, as a
 * {@code Map} for single projects and the pages, and straight to a {@link JsonGenerator} for lists. Both write the
 * same fields in the same order with the same values ({@code ProjectListBodyTest} holds the list bytes to the old
 * implementation's); lists skip the Map because building and reflecting over 25 entries per row cost more than the
 * query.
 *
 * <p>The row statement has no per-row subquery that grows with the data: the shared-datasets sibling, the busy
 * flag and the caller's latest package are each one probe of a small index (migrations V9_1, V9_2, V7_1), and the
 * collaborator count runs only for private projects whose owner's plan limits collaborators.
 *
 * <p>{@code needs_repackaging} is per caller (reference-api-jobs §6.2): true when the project has a QGIS file and
 * either has online vector layers (PostGIS, WFS, …: their data may change at any time) or the caller's latest
 * package ({@code latest_package(:actor, project)}) is missing or older than the project's data.
 * Decisions:
 * {@code status} is {@code busy} through {@link ProjectBusySql}, {@code failed} when there is no QGIS file or
 * no project details yet (except shared-datasets projects) or when a private project has more direct
 * collaborators than its owner's plan allows, otherwise {@code ok}.
 */
@Component
class ProjectRows {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    /**
     * Timestamps travel as the text of the UTC wall-clock time ({@code 2026-01-02 03:04:05.5}, PostgreSQL's ISO
     * output, which the driver always asks for) and {@link #iso} turns that into exactly what {@link #TIMESTAMP} makes
     * of the driver's UTC {@code OffsetDateTime} ({@code 2026-01-02T03:04:05.500000Z}). Five {@code to_char} or
     * formatter calls per row were the largest single cost of a full list.
     */
    private static String utc(String column) {
        return "CAST(p." + column + " AT TIME ZONE 'UTC' AS text) AS " + column;
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.f{1,6}]} (UTC) to {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}; null stays null. */
    static String iso(String utcText) {
        if (utcText == null) {
            return null;
        }
        int length = utcText.length();
        boolean plain = length >= 19 && length <= 26 && length != 20 && utcText.charAt(4) == '-' && utcText.charAt(10) == ' '
                && (length == 19 || utcText.charAt(19) == '.');
        if (!plain) {
            // Years beyond 9999 or before 1 (never written by the server): the formatter's own rendering.
            return TIMESTAMP.format(OffsetDateTime.parse(utcText.replace(' ', 'T') + "Z"));
        }
        char[] out = new char[27];
        utcText.getChars(0, length, out, 0);
        out[10] = 'T';
        out[19] = '.';
        for (int i = Math.max(length, 20); i < 26; i++) {
            out[i] = '0';
        }
        out[26] = 'Z';
        return new String(out);
    }

    private final String columns;
    private final String from;

    ProjectRows(ProjectBusySql busy) {
        this.columns = """
                p.id, p.name, p.project_type, u.username AS owner, p.description, p.is_public, %s, %s, %s, %s, %s,
                p.is_featured, p.is_attachment_download_on_demand, p.has_restricted_projectfiles, p.overwrite_conflicts,
                p.file_storage_bytes, p.the_qgis_file_name,
                (SELECT s.id FROM projects s WHERE s.owner_id = p.owner_id AND s.project_type = 'shared_datasets'
                    AND s.id <> p.id ORDER BY s.created_at LIMIT 1) AS shared_datasets_project_id,
                p.the_qgis_file_name IS NOT NULL AND (
                    EXISTS (SELECT 1 FROM jsonb_each(coalesce(p.project_details -> 'layers_by_id', '{}'::jsonb)) l
                             WHERE l.value ->> 'provider_name' IN ('postgres', 'wfs', 'oapif', 'oracle', 'mssql', 'hana', 'arcgisfeatureserver'))
                    OR coalesce((SELECT coalesce(p.data_last_updated_at > k.packaged_at, false) FROM packages k
                                  WHERE k.job_id = latest_package(:actor, p.id)), true)) AS needs_repackaging,
                CASE WHEN (%s) THEN 'busy'
                     WHEN p.project_type <> 'shared_datasets' AND (p.the_qgis_file_name IS NULL OR p.project_details IS NULL) THEN 'failed'
                     WHEN NOT p.is_public AND pl.max_premium_collaborators_per_private_project <> -1
                          AND pl.max_premium_collaborators_per_private_project < (%s) THEN 'failed'
                     ELSE 'ok' END AS status
                """.formatted(utc("created_at"), utc("updated_at"), utc("data_last_packaged_at"), utc("data_last_updated_at"),
                utc("restricted_data_last_updated_at"), busy.busyExpression(), DIRECT_COLLABORATORS);
        this.from = """
                  JOIN users u ON u.id = p.owner_id
                  JOIN plans pl ON pl.id = coalesce(u.plan_id, (SELECT id FROM plans WHERE is_default AND user_type = u.type))
                """;
    }

    /**
     * Direct collaborators of {@code p} as counted by plan limits: persons, not incognito, not the owner
     * (nor the owning organization's owner). Teams are counted apart.
     */
    static final String DIRECT_COLLABORATORS = """
            SELECT count(*) FROM project_collaborators dc JOIN users du ON du.id = dc.collaborator_id
             WHERE dc.project_id = p.id AND du.type = 1 AND NOT dc.is_incognito
               AND dc.collaborator_id <> p.owner_id
               AND dc.collaborator_id IS DISTINCT FROM (SELECT oo.owner_id FROM organizations oo WHERE oo.user_id = p.owner_id)""";

    /**
     * The listed projects {@code :ids} (a {@code uuid[]} literal) in the array's order, each fetched by its primary
     * key ({@code OFFSET 0} keeps the lateral probe from being flattened into a hash join, which would read every
     * project of the server for a page of 20), with the list version
     * (column {@value #LIST_VERSION}) and the statement's snapshot (column {@value #SNAPSHOT}, the text of
     * {@code pg_current_snapshot()}, computed once) read with the rows, and each row's position in the array (column
     * {@value #POSITION}, from 1). Roles are not read: the cached list carries them.
     */
    static final int LIST_VERSION = 21;
    static final int POSITION = 22;
    static final int SNAPSHOT = 23;

    String byIds() {
        return "SELECT " + columns + ", " + ProjectListCache.VERSION + " AS list_version, w.pos,"
                + " (SELECT CAST(pg_current_snapshot() AS text)) AS snapshot"
                + " FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS w(id, pos)"
                + " CROSS JOIN LATERAL (SELECT * FROM projects WHERE id = w.id OFFSET 0) p "
                + from + " ORDER BY w.pos";
    }

    /** One project {@code :project} with the caller's role, or no role ({@code user_role} null). */
    String one() {
        return "SELECT " + columns + ", r.role AS user_role, r.origin AS user_role_origin FROM projects p " + from
                + " LEFT JOIN " + Policy.PROJECT_ROLES + " r ON r.project_id = p.id WHERE p.id = :project";
    }

    /** One project as the reference's object; {@code role} and {@code origin} from the caller's list or the query. */
    static Map<String, Object> map(ResultSet rs, String role, String origin) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        String type = rs.getString("project_type");
        boolean isPublic = rs.getBoolean("is_public");
        out.put("id", rs.getString("id"));
        out.put("name", rs.getString("name"));
        out.put("project_type", type);
        out.put("owner", rs.getString("owner"));
        out.put("description", rs.getString("description"));
        out.put("private", !isPublic);
        out.put("is_public", isPublic);
        out.put("created_at", iso(rs.getString("created_at")));
        out.put("updated_at", iso(rs.getString("updated_at")));
        out.put("data_last_packaged_at", iso(rs.getString("data_last_packaged_at")));
        out.put("data_last_updated_at", iso(rs.getString("data_last_updated_at")));
        out.put("restricted_data_last_updated_at", iso(rs.getString("restricted_data_last_updated_at")));
        out.put("can_repackage", !"template".equals(type));
        out.put("needs_repackaging", rs.getBoolean("needs_repackaging"));
        out.put("status", rs.getString("status"));
        out.put("user_role", role);
        out.put("user_role_origin", origin);
        out.put("shared_datasets_project_id", rs.getString("shared_datasets_project_id"));
        out.put("is_shared_datasets_project", "shared_datasets".equals(type));
        out.put("is_featured", rs.getBoolean("is_featured"));
        out.put("is_attachment_download_on_demand", rs.getBoolean("is_attachment_download_on_demand"));
        out.put("has_restricted_projectfiles", rs.getBoolean("has_restricted_projectfiles"));
        out.put("overwrite_conflicts", rs.getBoolean("overwrite_conflicts"));
        out.put("file_storage_bytes", rs.getLong("file_storage_bytes"));
        out.put("the_qgis_file_name", rs.getString("the_qgis_file_name"));
        return out;
    }

    static Map<String, Object> map(ResultSet rs, int n) throws SQLException {
        return map(rs, rs.getString("user_role"), rs.getString("user_role_origin"));
    }

    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString PROJECT_TYPE = new SerializedString("project_type");
    private static final SerializableString OWNER = new SerializedString("owner");
    private static final SerializableString DESCRIPTION = new SerializedString("description");
    private static final SerializableString PRIVATE = new SerializedString("private");
    private static final SerializableString IS_PUBLIC = new SerializedString("is_public");
    private static final SerializableString CREATED_AT = new SerializedString("created_at");
    private static final SerializableString UPDATED_AT = new SerializedString("updated_at");
    private static final SerializableString DATA_LAST_PACKAGED_AT = new SerializedString("data_last_packaged_at");
    private static final SerializableString DATA_LAST_UPDATED_AT = new SerializedString("data_last_updated_at");
    private static final SerializableString RESTRICTED_DATA_LAST_UPDATED_AT = new SerializedString("restricted_data_last_updated_at");
    private static final SerializableString CAN_REPACKAGE = new SerializedString("can_repackage");
    private static final SerializableString NEEDS_REPACKAGING = new SerializedString("needs_repackaging");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString USER_ROLE = new SerializedString("user_role");
    private static final SerializableString USER_ROLE_ORIGIN = new SerializedString("user_role_origin");
    private static final SerializableString SHARED_DATASETS_PROJECT_ID = new SerializedString("shared_datasets_project_id");
    private static final SerializableString IS_SHARED_DATASETS_PROJECT = new SerializedString("is_shared_datasets_project");
    private static final SerializableString IS_FEATURED = new SerializedString("is_featured");
    private static final SerializableString ON_DEMAND = new SerializedString("is_attachment_download_on_demand");
    private static final SerializableString RESTRICTED_FILES = new SerializedString("has_restricted_projectfiles");
    private static final SerializableString OVERWRITE_CONFLICTS = new SerializedString("overwrite_conflicts");
    private static final SerializableString FILE_STORAGE_BYTES = new SerializedString("file_storage_bytes");
    private static final SerializableString QGIS_FILE_NAME = new SerializedString("the_qgis_file_name");

    /** The same object as {@link #map}, written in the same order without building it. */
    static void write(ResultSet rs, String role, String origin, JsonGenerator g) throws SQLException {
        String type = rs.getString(3);
        boolean isPublic = rs.getBoolean(6);
        g.writeStartObject();
        string(g, ID, rs.getString(1));
        string(g, NAME, rs.getString(2));
        string(g, PROJECT_TYPE, type);
        string(g, OWNER, rs.getString(4));
        string(g, DESCRIPTION, rs.getString(5));
        g.writeName(PRIVATE).writeBoolean(!isPublic);
        g.writeName(IS_PUBLIC).writeBoolean(isPublic);
        string(g, CREATED_AT, iso(rs.getString(7)));
        string(g, UPDATED_AT, iso(rs.getString(8)));
        string(g, DATA_LAST_PACKAGED_AT, iso(rs.getString(9)));
        string(g, DATA_LAST_UPDATED_AT, iso(rs.getString(10)));
        string(g, RESTRICTED_DATA_LAST_UPDATED_AT, iso(rs.getString(11)));
        g.writeName(CAN_REPACKAGE).writeBoolean(!"template".equals(type));
        g.writeName(NEEDS_REPACKAGING).writeBoolean(rs.getBoolean(19));
        string(g, STATUS, rs.getString(20));
        string(g, USER_ROLE, role);
        string(g, USER_ROLE_ORIGIN, origin);
        string(g, SHARED_DATASETS_PROJECT_ID, rs.getString(18));
        g.writeName(IS_SHARED_DATASETS_PROJECT).writeBoolean("shared_datasets".equals(type));
        g.writeName(IS_FEATURED).writeBoolean(rs.getBoolean(12));
        g.writeName(ON_DEMAND).writeBoolean(rs.getBoolean(13));
        g.writeName(RESTRICTED_FILES).writeBoolean(rs.getBoolean(14));
        g.writeName(OVERWRITE_CONFLICTS).writeBoolean(rs.getBoolean(15));
        g.writeName(FILE_STORAGE_BYTES).writeNumber(rs.getLong(16));
        string(g, QGIS_FILE_NAME, rs.getString(17));
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) {
        g.writeName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    /** Timestamps of other objects (collaborators) in the same format as the project's. */
    static String timestamp(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : TIMESTAMP.format(t);
    }
}
