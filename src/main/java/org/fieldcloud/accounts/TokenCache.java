package org.fieldcloud.accounts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.fieldcloud.api.Actor;
import org.fieldcloud.ops.PgNotifications;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Recently authenticated tokens, so that most requests cost no database round trip. Revocation stays immediate on
 * every node: the database notifies all nodes of anything that can stop a token from working (migration V8_1), and
 * each node drops what it cached. While this node is not listening (starting, or its listening connection is lost)
 * nothing is cached and nothing cached is trusted, since a notification could have been missed.
 *
 * <p>{@code FIELDCLOUD_TOKEN_CACHE_SECONDS} (default 60, 0: no cache) bounds how long an entry is used even when
 * nothing was heard.
 */
@Component
class TokenCache implements DisposableBean {

    static final String CHANNEL = "fieldcloud_tokens";
    private static final int MAX_ENTRIES = 100_000;

    /** One cached token; {@code lastUseRecorded} is when this node last wrote {@code last_used_at}. */
    static final class Entry {
        final Actor actor;
        final OffsetDateTime expiresAt;
        final Instant cachedAt = Instant.now();
        volatile Instant lastUseRecorded;

        Entry(Actor actor, OffsetDateTime expiresAt, Instant lastUseRecorded) {
            this.actor = actor;
            this.expiresAt = expiresAt;
            this.lastUseRecorded = lastUseRecorded;
        }
    }

    private final ConcurrentHashMap<String, Entry> byKeyHash = new ConcurrentHashMap<>();
    /** Counts what was heard: a lookup that started before a notification may not cache its (possibly stale) result. */
    private final AtomicLong generation = new AtomicLong();
    private final Duration ttl;
    private volatile boolean listening;
    private final PgNotifications notifications;

    TokenCache(DataSource dataSource, @Value("${fieldcloud.token-cache-seconds:60}") long ttlSeconds) {
        this.ttl = Duration.ofSeconds(ttlSeconds);
        this.notifications = ttlSeconds <= 0 ? null : new PgNotifications(dataSource, CHANNEL, 10_000, new PgNotifications.Listener() {
            @Override
            public void connected(boolean now) {
                generation.incrementAndGet();
                byKeyHash.clear();
                listening = now;
            }

            @Override
            public void received(String payload) {
                forget(payload);
            }
        });
    }

    Optional<Entry> get(String keyHash) {
        Entry e = byKeyHash.get(keyHash);
        if (e == null) {
            return Optional.empty();
        }
        if (!listening || e.cachedAt.plus(ttl).isBefore(Instant.now()) || !e.expiresAt.toInstant().isAfter(Instant.now())) {
            byKeyHash.remove(keyHash, e);
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** Where a lookup must start counting from, taken before it reads the database. */
    long generation() {
        return generation.get();
    }

    void put(String keyHash, Entry entry, long generationBeforeLookup) {
        if (!listening || generation.get() != generationBeforeLookup) {
            return;
        }
        if (byKeyHash.size() >= MAX_ENTRIES) {
            byKeyHash.clear();
        }
        byKeyHash.put(keyHash, entry);
        if (generation.get() != generationBeforeLookup) {
            // A notification arrived while this entry went in: it may be the one about this token.
            byKeyHash.remove(keyHash, entry);
        }
    }

    private void forget(String payload) {
        if (payload.startsWith("token:")) {
            generation.incrementAndGet();
            byKeyHash.remove(payload.substring(6));
        } else if (payload.startsWith("user:")) {
            forgetUser(Long.parseLong(payload.substring(5)));
        } else {
            generation.incrementAndGet();
            byKeyHash.clear();
        }
    }

    /**
     * Drops a person's tokens at once. Revocations made on this node call it themselves: the notification comes
     * back asynchronously, and the person's very next request must not find the token cached.
     */
    void forgetUser(long user) {
        generation.incrementAndGet();
        byKeyHash.values().removeIf(e -> e.actor.userId() == user);
    }

    @Override
    public void destroy() {
        if (notifications != null) {
            notifications.close();
        }
    }
}
