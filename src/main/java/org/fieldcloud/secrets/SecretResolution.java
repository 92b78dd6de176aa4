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

    /**
     * One statement: the role check and the four levels, each level an index range of (scope, assignee), and
     * names sorted bytewise ({@code COLLATE "C"}, names are ASCII) so the ladder does not pay for the locale.
     */
    private static final String WINNERS = """
            WITH target AS MATERIALIZED (
                SELECT pr.id AS project_id, o.user_id AS organization_id, rc.has_role,
                       EXISTS (SELECT 1 FROM organization_roles_of(:u) r WHERE r.organization_id = o.user_id) AS member
                  FROM projects pr
                 CROSS JOIN LATERAL has_project_role(:u, pr.id) rc
                  LEFT JOIN organizations o ON o.user_id = pr.owner_id
                 WHERE pr.id = :p),
            candidates AS (
                SELECT 1 AS rank, s.id, s.name, s.type%1$s
                  FROM target t JOIN secrets s ON s.project_id = t.project_id AND coalesce(s.assigned_to, 0) = :u
                 WHERE t.has_role
                UNION ALL
                SELECT 2, s.id, s.name, s.type%1$s
                  FROM target t JOIN secrets s ON s.project_id = t.project_id AND coalesce(s.assigned_to, 0) = 0
                 WHERE t.has_role
                UNION ALL
                SELECT 3, s.id, s.name, s.type%1$s
                  FROM target t JOIN secrets s ON s.organization_id = t.organization_id AND coalesce(s.assigned_to, 0) = :u
                 WHERE t.has_role AND t.member
                UNION ALL
                SELECT 4, s.id, s.name, s.type%1$s
                  FROM target t JOIN secrets s ON s.organization_id = t.organization_id AND coalesce(s.assigned_to, 0) = 0
                 WHERE t.has_role)
            SELECT t.has_role, t.organization_id, w.*
              FROM target t
              LEFT JOIN (SELECT DISTINCT ON (name COLLATE "C") * FROM candidates ORDER BY name COLLATE "C", rank) w ON true""";
    /** The ladder with the sealed values, for jobs. */
    private static final String WINNERS_SEALED = WINNERS.formatted(", s.key_id, s.nonce, s.ciphertext");
    /** The ladder without them: the precedence view reads names and levels only, so nothing can be decrypted. */
    private static final String WINNERS_NAMES = WINNERS.formatted("");

    private static final String[] LEVELS = {null, ResolvedSecret.PROJECT_USER, ResolvedSecret.PROJECT,
        ResolvedSecret.ORGANIZATION_USER, ResolvedSecret.ORGANIZATION};

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final Secrets secrets;

    SecretResolution(JdbcClient jdbc, SecretCipher cipher, Secrets secrets) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.secrets = secrets;
    }

    public List<ResolvedSecret> resolve(long userId, UUID projectId) {
        List<ResolvedSecret> out = new ArrayList<>();
        boolean[] hasRole = {false};
        jdbc.sql(WINNERS_SEALED).param("p", projectId).param("u", userId).query(rs -> {
            hasRole[0] = rs.getBoolean("has_role");
            if (!hasRole[0] || rs.getObject("id") == null) {
                return;
            }
            int rank = rs.getInt("rank");
            String scope = rank <= 2 ? "project:" + projectId : "organization:" + rs.getLong("organization_id");
            long id = rs.getLong("id");
            String name = rs.getString("name");
            String type = rs.getString("type");
            String value = cipher.open(new SecretCipher.Sealed(rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext")),
                    new SecretCipher.Binding(id, scope, name, type));
            out.add(new ResolvedSecret(id, name, type, LEVELS[rank], value));
        });
        if (!hasRole[0]) {
            throw new NoProjectRoleException("User " + userId + " has no role on project " + projectId + "; no secrets are resolved for them.");
        }
        return out;
    }

    /**
     * The same ladder as {@link #resolve} for the precedence view: names, types and levels, never a value (the
     * statement does not even read the ciphertexts). A person without a role on the project gets nothing.
     */
    public List<SecretAdministration.Winner> winners(long userId, UUID projectId) {
        return jdbc.sql(WINNERS_NAMES).param("p", projectId).param("u", userId)
                .query((rs, n) -> rs.getBoolean("has_role") && rs.getObject("id") != null
                        ? new SecretAdministration.Winner(rs.getString("name"), rs.getString("type"), LEVELS[rs.getInt("rank")]) : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    /** Resolves for a job and records which names and levels it received (never values). */
    public JobSecrets forJob(long userId, UUID projectId, UUID jobId) {
        List<ResolvedSecret> resolved = resolve(userId, projectId);
        secrets.audit(SecretScope.project(projectId), "resolve", userId, userId, jobId,
                Map.of("secrets", resolved.stream().map(r -> Map.of("name", r.name(), "level", r.level())).toList()));
        return JobSecrets.of(resolved);
    }
}
