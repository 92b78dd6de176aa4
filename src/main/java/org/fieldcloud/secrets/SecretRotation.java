package org.fieldcloud.secrets;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.ops.AdminCommand;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code bin/fieldcloud admin rotate-secrets-key}: re-encrypts every secret that is not yet under the newest key
 * (the first of FIELDCLOUD_SECRETS_KEYS), one row per transaction, so the server keeps running; afterwards the
 * old keys can be removed from the configuration.
 */
@Component
class SecretRotation implements AdminCommand.AdminTask {

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final TransactionTemplate tx;

    SecretRotation(JdbcClient jdbc, SecretCipher cipher, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.tx = tx;
    }

    @Override
    public String name() {
        return "rotate-secrets-key";
    }

    @Override
    public String run(Map<String, String> options) {
        Result result = rotate();
        return "re-encrypted " + result.rotated() + " secret(s) under the newest key"
                + (result.failures().isEmpty() ? "" : "; these could not be decrypted and were left as they are: " + result.failures());
    }

    /** Rows that do not decrypt (tampered, or under a key no longer configured) are reported, not fatal. */
    record Result(int rotated, List<String> failures) { }

    Result rotate() {
        List<Long> ids = jdbc.sql("SELECT id FROM secrets ORDER BY id").query(Long.class).list();
        int rotated = 0;
        List<String> failures = new java.util.ArrayList<>();
        for (long id : ids) {
            try {
                if (Boolean.TRUE.equals(tx.execute(status -> rotateOne(id)))) {
                    rotated++;
                }
            } catch (SecretDecryptionException e) {
                failures.add(e.getMessage());
            }
        }
        return new Result(rotated, failures);
    }

    private boolean rotateOne(long id) {
        return jdbc.sql("SELECT id, name, type, organization_id, project_id, key_id, nonce, ciphertext FROM secrets WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query((rs, n) -> {
                    if (cipher.current(rs.getString("key_id"))) {
                        return false;
                    }
                    String scope = rs.getObject("project_id") != null ? "project:" + rs.getObject("project_id", UUID.class)
                            : "organization:" + rs.getLong("organization_id");
                    SecretCipher.Binding binding = new SecretCipher.Binding(id, scope, rs.getString("name"), rs.getString("type"));
                    String value = cipher.open(new SecretCipher.Sealed(rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext")), binding);
                    SecretCipher.Sealed sealed = cipher.seal(value, binding);
                    jdbc.sql("UPDATE secrets SET key_id = :k, nonce = :n, ciphertext = :c WHERE id = :id")
                            .param("k", sealed.keyId()).param("n", sealed.nonce()).param("c", sealed.ciphertext()).param("id", id).update();
                    return true;
                }).optional().orElse(false);
    }
}
