package org.fieldcloud.projects;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The Collaborator object of the reference (§2.1); staff also see {@code is_incognito}. */
final class CollaboratorView {

    private CollaboratorView() { }

    static Map<String, Object> map(ResultSet rs, boolean staff) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project_id", rs.getObject("project_id", UUID.class).toString());
        out.put("collaborator", rs.getString("collaborator"));
        out.put("role", rs.getString("role"));
        out.put("created_by", rs.getString("created_by"));
        out.put("updated_by", rs.getString("updated_by"));
        out.put("created_at", ProjectRows.timestamp(rs, "created_at"));
        out.put("updated_at", ProjectRows.timestamp(rs, "updated_at"));
        if (staff) {
            out.put("is_incognito", rs.getBoolean("is_incognito"));
        }
        return out;
    }
}
