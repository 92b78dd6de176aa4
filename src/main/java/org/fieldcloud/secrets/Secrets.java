package org.fieldcloud.secrets;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Creating, listing and deleting secrets (never editing them, as the seeds say). A value is written once,
 * encrypted bound to its row, and never returned.
 */
@Service
class Secrets {

    static final Pattern NAME = Pattern.compile("^[A-Z][A-Z0-9_]*$");
    static final int MAX_VALUE_BYTES = 64 * 1024;
    static final int MAX_PER_SCOPE = 1000;
    static final String EFFECTIVE_USER = "QFC_PG_EFFECTIVE_USER";

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final ObjectMapper json;

    Secrets(JdbcClient jdbc, SecretCipher cipher, ObjectMapper json) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.json = json;
    }

    record NewSecret(String name, String type, String value, Long assignedTo) { }

    @Transactional
    Map<String, Object> create(SecretScope scope, NewSecret s, long actorId) {
        if (s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw ApiException.badRequest("Field 'value' is larger than 64 KiB.");
        }
        String name = s.name();
        String serviceName = null;
        if ("pgservice".equals(s.type())) {
            PgServiceText parsed = PgServiceText.parse(s.value());
            serviceName = parsed.service();
            name = name == null || name.isBlank() ? parsed.secretName() : name.startsWith("PG_SERVICE_") ? name : "PG_SERVICE_" + name;
        }
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("Field 'name' is required for environment variable secrets.");
        }
        if (name.length() < 2 || name.length() > 255 || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Field 'name' must be 2-255 characters: capital letters, digits and '_', starting with a capital letter; got '"
                    + name + "'.");
        }
        if (EFFECTIVE_USER.equals(name) && s.assignedTo() == null) {
            throw ApiException.badRequest("Field 'assigned_to': QFC_PG_EFFECTIVE_USER must be assigned to a user (it names that user's database role).");
        }
        // PostgreSQL cuts identifiers at 63 bytes: a longer value would make SET ROLE switch to a different role.
        if (EFFECTIVE_USER.equals(name) && s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw ApiException.badRequest("Field 'value': QFC_PG_EFFECTIVE_USER must be a PostgreSQL role name of at most 63 bytes.");
        }
        long count = jdbc.sql("SELECT count(*) FROM secrets WHERE " + scope.column() + " = :s").param("s", scope.key()).query(Long.class).single();
        if (count >= MAX_PER_SCOPE) {
            throw ApiException.badRequest("This " + (scope.isProject() ? "project" : "organization") + " already has " + MAX_PER_SCOPE
                    + " secrets, the most allowed; delete some first.");
        }
        long id = jdbc.sql("SELECT nextval('secrets_id_seq')").query(Long.class).single();
        SecretCipher.Sealed sealed = cipher.seal(s.value(), new SecretCipher.Binding(id, scope.binding(), name, s.type()));
        try {
            jdbc.sql("""
                    INSERT INTO secrets (id, organization_id, project_id, assigned_to, name, type, service_name, key_id, nonce, ciphertext, created_by)
                    VALUES (:id, :o, :p, :a, :n, :t, :svc, :k, :nonce, :c, :u)""")
                    .param("id", id).param("o", scope.organizationId()).param("p", scope.projectId()).param("a", s.assignedTo())
                    .param("n", name).param("t", s.type()).param("svc", serviceName).param("k", sealed.keyId())
                    .param("nonce", sealed.nonce()).param("c", sealed.ciphertext()).param("u", actorId).update();
        } catch (DuplicateKeyException e) {
            throw ApiException.badRequest("A secret named " + name + " already exists here"
                    + (s.assignedTo() == null ? "" : " for that user") + "; delete it first (secrets cannot be edited).");
        }
        audit(scope, "create", actorId, s.assignedTo(), null, Map.of("names", List.of(name), "type", s.type()));
        return view(scope, id);
    }

    List<Map<String, Object>> list(SecretScope scope) {
        return jdbc.sql(SELECT + " WHERE s." + scope.column() + " = :s ORDER BY s.name, s.id").param("s", scope.key()).query(this::row).list();
    }

    @Transactional
    void delete(SecretScope scope, long id, long actorId) {
        Map<String, Object> existing = view(scope, id);
        jdbc.sql("DELETE FROM secrets WHERE id = :id").param("id", id).update();
        Long assigned = existing.get("assigned_to") == null ? null
                : jdbc.sql("SELECT id FROM users WHERE username = :u").param("u", existing.get("assigned_to")).query(Long.class).optional().orElse(null);
        audit(scope, "delete", actorId, assigned, null, Map.of("names", List.of(existing.get("name")), "type", existing.get("type")));
    }

    Map<String, Object> view(SecretScope scope, long id) {
        return jdbc.sql(SELECT + " WHERE s.id = :id AND s." + scope.column() + " = :s").param("id", id).param("s", scope.key())
                .query(this::row).optional()
                .orElseThrow(() -> ApiException.notFound("no secret " + id + " in this " + (scope.isProject() ? "project" : "organization") + "."));
    }

    List<Map<String, Object>> auditLog(SecretScope scope) {
        return jdbc.sql("""
                SELECT a.action, a.created_at, a.job_id, a.details, actor.username AS actor, subject.username AS subject
                  FROM secret_audit a LEFT JOIN users actor ON actor.id = a.actor_id LEFT JOIN users subject ON subject.id = a.subject_id
                 WHERE a.""" + scope.column() + " = :s ORDER BY a.id DESC LIMIT 1000")
                .param("s", scope.key())
                .query((rs, n) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("action", rs.getString("action"));
                    out.put("created_at", rs.getObject("created_at", OffsetDateTime.class));
                    out.put("actor", rs.getString("actor"));
                    out.put("user", rs.getString("subject"));
                    out.put("job_id", rs.getObject("job_id"));
                    out.put("details", json.readTree(rs.getString("details")));
                    return out;
                }).list();
    }

    void audit(SecretScope scope, String action, Long actorId, Long subjectId, java.util.UUID jobId, Map<String, Object> details) {
        jdbc.sql("""
                INSERT INTO secret_audit (organization_id, project_id, action, actor_id, subject_id, job_id, details)
                VALUES (:o, :p, :a, :actor, :subject, :job, CAST(:d AS jsonb))""")
                .param("o", scope.organizationId()).param("p", scope.projectId()).param("a", action).param("actor", actorId)
                .param("subject", subjectId).param("job", jobId).param("d", json.writeValueAsString(details)).update();
    }

    private static final String SELECT = """
            SELECT s.id, s.name, s.type, s.service_name, s.created_at, a.username AS assigned_to, c.username AS created_by
              FROM secrets s LEFT JOIN users a ON a.id = s.assigned_to LEFT JOIN users c ON c.id = s.created_by""";

    private Map<String, Object> row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getLong("id"));
        out.put("name", rs.getString("name"));
        out.put("type", rs.getString("type"));
        out.put("assigned_to", rs.getString("assigned_to"));
        out.put("created_by", rs.getString("created_by"));
        out.put("created_at", rs.getObject("created_at", OffsetDateTime.class));
        if ("pgservice".equals(rs.getString("type"))) {
            out.put("service_name", rs.getString("service_name"));
        }
        return out;
    }
}
