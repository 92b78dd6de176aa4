package org.fieldcloud.ops;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server settings, read from {@code FIELDCLOUD_*} environment variables (Spring's relaxed binding maps
 * {@code FIELDCLOUD_DATA_DIR} to {@code dataDir}). Every setting is listed in the README.
 */
@ConfigurationProperties("fieldcloud")
public record FieldCloudSettings(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("embedded") String mode,
        Database database,
        Admin admin,
        @DefaultValue("720") long tokenExpirationHours) {

    public record Database(String url, String user, String password) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    public record Admin(String username, String password) { }

    public boolean production() {
        return "production".equalsIgnoreCase(mode);
    }

    public Database databaseOrEmpty() {
        return database == null ? new Database(null, null, null) : database;
    }

    public Admin adminOrEmpty() {
        return admin == null ? new Admin(null, null) : admin;
    }
}
