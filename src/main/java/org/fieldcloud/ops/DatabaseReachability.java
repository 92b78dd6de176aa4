package org.fieldcloud.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness's database check ({@code database}): opens its own connection with 3 s timeouts and runs {@code SELECT 1}.
 * Spring's {@code db} check borrows from the pool instead, so under load it would wait for a busy pool and mark a
 * healthy node unready (a load balancer then takes it out just when it is needed); and during an outage it would
 * wait the pool's full 30 s connection timeout before saying so. This one answers within seconds either way.
 */
@Component("database")
class DatabaseReachability extends AbstractHealthIndicator {

    private static final String TIMEOUT_SECONDS = "3";

    private final String url;
    private final Properties login = new Properties();

    DatabaseReachability(FieldCloudSettings settings, DatabaseConfig.EmbeddedDatabase embedded) {
        super("Database unreachable");
        FieldCloudSettings.Database db = settings.databaseOrEmpty();
        if (db.external()) {
            url = db.url();
            login.setProperty("user", db.user());
            login.setProperty("password", db.password() == null ? "" : db.password());
        } else {
            url = "jdbc:postgresql://localhost:" + embedded.port() + "/postgres";
            login.setProperty("user", "postgres");
            login.setProperty("password", embedded.password());
        }
        login.setProperty("connectTimeout", TIMEOUT_SECONDS);
        login.setProperty("loginTimeout", TIMEOUT_SECONDS);
        login.setProperty("socketTimeout", TIMEOUT_SECONDS);
        login.setProperty("ApplicationName", "fieldcloud-readiness");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        try (Connection c = DriverManager.getConnection(url, login); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        builder.up();
    }
}
