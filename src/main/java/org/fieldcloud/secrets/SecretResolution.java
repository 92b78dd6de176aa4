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
                WITH org AS (
                    SELECT o.user_id AS id,
                           EXISTS (SELECT 1 FROM organization_roles_of(:u) r WHERE r.organization_id = o.user_id) AS member
                      FROM projects pr JOIN organizations o ON o.user_id = pr.owner_id WHERE pr.id = :p),
                candidates AS (
                    SELECT s.*, CASE WHEN s.assigned_to IS NOT NULL THEN 1 ELSE 2 END AS rank
                      FROM secrets s WHERE s.project_id = :p AND (s.assigned_to IS NULL OR s.assigned_to = :u)
                    UNION ALL
                    SELECT s.*, CASE WHEN s.assigned_to IS NOT NULL THEN 3 ELSE 4 END
                      FROM secrets s JOIN org ON s.organization_id = org.id
                     WHERE s.assigned_to IS NULL OR (s.assigned_to = :u AND org.member))
                SELECT DISTINCT ON (name) id, name, type, key_id, nonce, ciphertext, organization_id, project_id,
                       CASE rank WHEN 1 THEN 'project_user' WHEN 2 THEN 'project' WHEN 3 THEN 'organization_user' ELSE 'organization' END AS level
                  FROM candidates
                 ORDER BY name, rank""")
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
