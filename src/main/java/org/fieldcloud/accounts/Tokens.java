package org.fieldcloud.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;
import org.fieldcloud.api.Actor;
import org.fieldcloud.ops.FieldCloudSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: 100 random alphanumeric characters handed out once; only their SHA-256 is stored.
 * A high-entropy random key needs no slow hash, and a fast one keeps every request to one lookup.
 */
@Service
public class Tokens {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Duration lifetime;
    private final TokenCache cache;

    Tokens(JdbcClient jdbc, FieldCloudSettings settings, TokenCache cache) {
        this.jdbc = jdbc;
        this.lifetime = Duration.ofHours(settings.tokenExpirationHours());
        this.cache = cache;
    }

    public record Issued(String key, OffsetDateTime expiresAt, ClientType clientType) { }

    public enum Failure { UNKNOWN, EXPIRED, INACTIVE }

    public record Lookup(Actor actor, Failure failure) { }

    /** Issues a token; for single-token clients every other live token of that client type is expired. */
    @Transactional
    public Issued issue(long userId, String userAgent) {
        ClientType type = ClientType.fromUserAgent(userAgent);
        if (type.singleToken()) {
            jdbc.sql("UPDATE auth_tokens SET expires_at = now() WHERE user_id = :u AND client_type = :t AND expires_at > now()")
                    .param("u", userId).param("t", type.wireName()).update();
            cache.forgetUser(userId);
        }
        String key = randomKey();
        OffsetDateTime expires = jdbc.sql("""
                INSERT INTO auth_tokens (key_hash, user_id, client_type, user_agent, expires_at)
                VALUES (:h, :u, :t, :ua, now() + make_interval(secs => :secs)) RETURNING expires_at""")
                .param("h", hash(key)).param("u", userId).param("t", type.wireName())
                .param("ua", userAgent == null ? "" : userAgent).param("secs", (double) lifetime.toSeconds())
                .query(OffsetDateTime.class).single();
        jdbc.sql("UPDATE users SET last_login = now() WHERE id = :u").param("u", userId).update();
        return new Issued(key, expires, type);
    }

    /**
     * Resolves a presented key: from this node's cache when it holds the token, else from the database. Its use is
     * recorded at most once a minute per token, so that one person's requests do not all queue on one row lock.
     */
    public Lookup authenticate(String key) {
        String keyHash = hash(key);
        Optional<TokenCache.Entry> cached = cache.get(keyHash);
        if (cached.isPresent()) {
            recordUse(keyHash, cached.get());
            return new Lookup(cached.get().actor, null);
        }
        long generation = cache.generation();
        Optional<TokenCache.Entry> found = jdbc.sql("""
                SELECT u.id, u.username, u.is_staff, t.client_type, t.expires_at, t.last_used_at FROM auth_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.key_hash = :h AND t.expires_at > now() AND u.is_active""")
                .param("h", keyHash)
                .query((rs, n) -> new TokenCache.Entry(new Actor(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)),
                        rs.getObject(5, OffsetDateTime.class), Optional.ofNullable(rs.getObject(6, OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(Instant.EPOCH)))
                .optional();
        if (found.isPresent()) {
            recordUse(keyHash, found.get());
            cache.put(keyHash, found.get(), generation);
            return new Lookup(found.get().actor, null);
        }
        Optional<Boolean> expired = jdbc.sql("SELECT t.expires_at <= now() FROM auth_tokens t WHERE t.key_hash = :h")
                .param("h", keyHash).query(Boolean.class).optional();
        return new Lookup(null, expired.isEmpty() ? Failure.UNKNOWN : expired.get() ? Failure.EXPIRED : Failure.INACTIVE);
    }

    /** Writes {@code last_used_at} when neither this node nor another wrote it within the last minute. */
    private void recordUse(String keyHash, TokenCache.Entry entry) {
        Instant now = Instant.now();
        if (entry.lastUseRecorded.isAfter(now.minus(LAST_USE_RESOLUTION))) {
            return;
        }
        entry.lastUseRecorded = now;
        jdbc.sql("""
                UPDATE auth_tokens SET last_used_at = clock_timestamp()
                 WHERE key_hash = :h AND (last_used_at IS NULL OR last_used_at < clock_timestamp() - interval '1 minute')""")
                .param("h", keyHash).update();
    }

    /**
     * After a change on this node that stops a person's tokens from working (deactivation, deletion): drop them from
     * this node's cache now. Other nodes hear of it from the database.
     */
    public void forgetCached(long userId) {
        cache.forgetUser(userId);
    }

    /** Logout: every live token of the user, whatever its client type. */
    public void expireAll(long userId) {
        jdbc.sql("UPDATE auth_tokens SET expires_at = now() WHERE user_id = :u AND expires_at > now()").param("u", userId).update();
        cache.forgetUser(userId);
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomKey() {
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < 100; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
