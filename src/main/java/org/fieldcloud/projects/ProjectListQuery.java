package org.fieldcloud.projects;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.api.ApiException;

/**
 * The filters and ordering of {@code GET /projects/} and {@code GET /projects/public/} (reference §2.5),
 * turned into SQL fragments. Only fragments written here reach the SQL; client values travel as parameters.
 * {@code ordering} takes a comma-separated list (as the reference's ordering filter does); an unknown key is
 * a 400 rather than being ignored, so a typo does not silently return another order.
 *
 * @param roleJoin {@code JOIN} (only projects the person has a role on) or {@code LEFT JOIN} (public list: role or none)
 * @param orderBy the sort terms, always ending with {@code p.id} so that the order is total and pages never overlap
 */
record ProjectListQuery(String roleJoin, String where, Map<String, Object> params, String orderBy) {

    private static final Map<String, String> ORDER_KEYS = Map.of(
            "owner", "u.username", "name", "p.name", "created_at", "p.created_at");
    private static final String DEFAULT_ORDER = "p.is_featured DESC, u.username, p.name";

    static ProjectListQuery forUser(HttpServletRequest request) {
        boolean includePublic = flag(request, "include_public") || flag(request, "include-public");
        return build(request, "JOIN", includePublic ? "true" : "r.origin <> 'public'");
    }

    static ProjectListQuery forPublic(HttpServletRequest request) {
        return build(request, "LEFT JOIN", "p.is_public");
    }

    private static ProjectListQuery build(HttpServletRequest request, String roleJoin, String baseCondition) {
        StringBuilder where = new StringBuilder(" WHERE ").append(baseCondition);
        Map<String, Object> params = new HashMap<>();
        String name = request.getParameter("name");
        if (name != null && !name.isEmpty()) {
            where.append(" AND lower(p.name) = lower(:name)");
            params.put("name", name);
        }
        String owner = request.getParameter("owner");
        if (owner != null && !owner.isEmpty()) {
            where.append(" AND lower(u.username) = lower(:owner)");
            params.put("owner", owner);
        }
        String search = request.getParameter("search");
        if (search != null && !search.isEmpty()) {
            where.append(" AND (strpos(lower(u.username), lower(:search)) > 0 OR strpos(lower(p.name), lower(:search)) > 0)");
            params.put("search", search);
        }
        return new ProjectListQuery(roleJoin, where.toString(), params, ordering(request.getParameter("ordering")) + ", p.id");
    }

    /** Two queries with the same key list the same projects in the same order for the same person. */
    String key() {
        return roleJoin + '|' + where + '|' + orderBy + '|' + new java.util.TreeMap<>(params);
    }

    private static String ordering(String ordering) {
        if (ordering == null || ordering.isBlank()) {
            return DEFAULT_ORDER;
        }
        List<String> terms = new ArrayList<>();
        for (String key : ordering.split(",")) {
            String trimmed = key.trim();
            boolean descending = trimmed.startsWith("-");
            String column = ORDER_KEYS.get(descending ? trimmed.substring(1) : trimmed);
            if (column == null) {
                throw ApiException.badRequest("Query parameter 'ordering': '" + trimmed + "' is not supported; use one of "
                        + "owner, -owner, name, -name, created_at, -created_at (comma-separated).");
            }
            terms.add(column + (descending ? " DESC" : ""));
        }
        return String.join(", ", terms);
    }

    private static boolean flag(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase()) {
            case "1", "true", "yes", "on" -> true;
            case "", "0", "false", "no", "off" -> false;
            default -> throw ApiException.badRequest("Query parameter '" + name + "' must be 1 or 0, got '" + value + "'.");
        };
    }
}
