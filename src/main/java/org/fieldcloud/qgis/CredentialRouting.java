package org.fieldcloud.qgis;

import java.util.Optional;
import java.util.TreeSet;

/**
 * DECISIONS D4, "credentials go only where their secret says": a layer that takes its connection from a
 * service (or, with no host and database of its own, from PG* secrets) must not also name its own host, port,
 * database, user or password — otherwise anyone able to upload a project could point it at their own server
 * and collect the secret's password. Layers carrying complete inline credentials use only those.
 */
public final class CredentialRouting {

    private CredentialRouting() { }

    /** The reason the layer is refused, or empty when its datasource is safe to combine with the job's secrets. */
    public static Optional<String> check(String layerName, PostgresSource source) {
        boolean usesSecrets = source.service() != null || (source.get("host") == null && source.get("hostaddr") == null);
        if (!usesSecrets) {
            return Optional.empty();
        }
        TreeSet<String> offending = new TreeSet<>();
        for (String key : PostgresSource.CONNECTION_KEYS) {
            if (source.get(key) != null && !source.get(key).isEmpty()) {
                offending.add(key);
            }
        }
        if (source.service() == null) {
            // No service: the connection comes from PG* secrets, and a password or user of its own would mix with them.
            offending.retainAll(java.util.Set.of("password", "user", "port", "dbname"));
        }
        if (offending.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Layer \"" + layerName + "\" takes its connection from "
                + (source.service() != null ? "service '" + source.service() + "'" : "the PG* secrets")
                + " but also sets " + String.join(", ", offending)
                + " in its datasource; remove these keys so that the secret's credentials go only where the secret says.");
    }
}
