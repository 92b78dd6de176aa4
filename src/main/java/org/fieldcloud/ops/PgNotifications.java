package org.fieldcloud.ops;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to one PostgreSQL notification channel on a dedicated connection, on its own thread, reconnecting after
 * a lost connection. Nodes sharing one database tell each other things this way (no home-made bus). The listener
 * hears about connection state too: whoever relies on notifications must not trust what it cached while it could
 * have missed some.
 */
public final class PgNotifications implements AutoCloseable {

    /** What a listener is told. {@code connected(false)} comes first after every loss; nothing heard meanwhile. */
    public interface Listener {
        void connected(boolean listening);

        void received(String payload);
    }

    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);

    private final DataSource dataSource;
    private final String channel;
    private final Listener listener;
    private final int pollMillis;
    private volatile boolean active = true;
    private final Thread thread;

    /**
     * Starts listening. {@code pollMillis} bounds how long a wait for notifications lasts before it is renewed (and so
     * how soon a silently dead connection is noticed by the next query).
     */
    public PgNotifications(DataSource dataSource, String channel, int pollMillis, Listener listener) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("channel names are lower-case identifiers: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.listener = listener;
        this.pollMillis = pollMillis;
        this.thread = new Thread(this::run, "listen-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (active) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + channel);
                PGConnection pg = c.unwrap(PGConnection.class);
                listener.connected(true);
                while (active) {
                    PGNotification[] notifications = pg.getNotifications(pollMillis);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            listener.received(n.getParameter());
                        }
                    }
                }
            } catch (Exception e) {
                listener.connected(false);
                if (active) {
                    log.warn("Listening on {} failed ({}); reconnecting", channel, e.getMessage());
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        }
    }

    @Override
    public void close() {
        active = false;
        thread.interrupt();
    }
}
