package org.fieldcloud.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which secrets a job of user U on project P gets: for each name the best of project+assigned-to-U, project,
 * organization+assigned-to-U, organization (DECISIONS D4). Organization secrets reach only projects that
 * organization owns. Assignments are re-checked here: a user who lost their role gets no assigned secrets, and a
 * user with no role on the project gets nothing at all.
 */
@Service
public class SecretResolution {

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final Secrets secrets;

    SecretResolution(JdbcClient jdbc, SecretCipher cipher, Secrets secrets) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.secrets = secrets;
    }

    public List<ResolvedSecret> resolve(long userId, UUID projectId) {
        boolean hasRole = jdbc.sql("SELECT EXISTS (SELECT 1 FROM project_roles_of(:u) WHERE project_id = :p)")
                .param("u", userId).param("p", projectId).query(Boolean.class).single();
        if (!hasRole) {
            throw new IllegalStateException("User " + userId + " has no role on project " + projectId + "; no secrets are resolved for them.");
        }
        List<ResolvedSecret> out = new ArrayList<>();
        jdbc.sql("""
                SELECT DISTINCT ON (s.name) s.id, s.name, s.type, s.key_id, s.nonce, s.ciphertext,
                       s.organization_id, s.project_id,
                       CASE WHEN s.project_id IS NOT NULL AND s.assigned_to IS NOT NULL THEN 'project_user'
                            WHEN s.project_id IS NOT NULL THEN 'project'
                            WHEN s.assigned_to IS NOT NULL THEN 'organization_user'
                            ELSE 'organization' END AS level,
                       CASE WHEN s.project_id IS NOT NULL AND s.assigned_to IS NOT NULL THEN 1
                            WHEN s.project_id IS NOT NULL THEN 2
                            WHEN s.assigned_to IS NOT NULL THEN 3 ELSE 4 END AS rank
                  FROM secrets s
                 WHERE (s.project_id = :p
                        OR s.organization_id = (SELECT o.user_id FROM projects pr JOIN organizations o ON o.user_id = pr.owner_id WHERE pr.id = :p))
                   AND (s.assigned_to IS NULL
                        OR (s.assigned_to = :u AND (s.project_id IS NOT NULL
                            OR EXISTS (SELECT 1 FROM organization_roles_of(:u) r WHERE r.organization_id = s.organization_id))))
                 ORDER BY s.name, rank""")
                .param("p", projectId).param("u", userId)
                .query((rs, n) -> {
                    String scope = rs.getObject("project_id") != null ? "project:" + rs.getObject("project_id", UUID.class)
                            : "organization:" + rs.getLong("organization_id");
                    String value = cipher.open(new SecretCipher.Sealed(rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext")),
                            new SecretCipher.Binding(rs.getLong("id"), scope, rs.getString("name"), rs.getString("type")));
                    return out.add(new ResolvedSecret(rs.getLong("id"), rs.getString("name"), rs.getString("type"), rs.getString("level"), value));
                }).list();
        return out;
    }

    /** Resolves for a job and records which names and levels it received (never values). */
    public JobSecrets forJob(long userId, UUID projectId, UUID jobId) {
        List<ResolvedSecret> resolved = resolve(userId, projectId);
        secrets.audit(SecretScope.project(projectId), "resolve", userId, userId, jobId,
                Map.of("secrets", resolved.stream().map(r -> Map.of("name", r.name(), "level", r.level())).toList()));
        return JobSecrets.of(resolved);
    }
}
