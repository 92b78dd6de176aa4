package org.fieldcloud.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on a PostgreSQL notification channel with a pooled connection, as another process would; closing it stops
 * listening before the connection goes back to the pool.
 */
public final class ChannelListener implements AutoCloseable {

    private final Connection connection;

    public ChannelListener(DataSource dataSource, String channel) throws SQLException {
        connection = dataSource.getConnection();
        execute("LISTEN " + channel);
    }

    /** The payloads heard until one matches {@code wanted} or {@code limit} passes; the caller asserts on them. */
    public List<String> payloadsUntil(Predicate<String> wanted, Duration limit) throws SQLException {
        List<String> heard = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (heard.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
            PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications(500);
            for (PGNotification n : got == null ? new PGNotification[0] : got) {
                heard.add(n.getParameter());
            }
        }
        return heard;
    }

    @Override
    public void close() throws SQLException {
        try {
            execute("UNLISTEN *");
        } finally {
            connection.close();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
