package org.fieldcloud.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Brute-force lock-out: 5 failures per (username, client address) lock that pair for 30 minutes;
 * a success clears the count. Kept in the database so that every app node sees the same counts.
 *
 * <p>An attempt is counted before its password is checked, in one statement that also refuses it when the pair is
 * already at the limit: checking first and counting after the slow hash let any number of parallel attempts
 * pass the check before the first failure was written.
 */
@Component
public class LoginThrottle {

    static final int LIMIT = 5;
    static final String COOL_OFF = "30 minutes";

    private final JdbcClient jdbc;
    private final Counter failures;
    private final Counter lockouts;
    private final Counter refusedWhileLocked;

    public LoginThrottle(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.failures = Counter.builder("fieldcloud_login_failures").description("Logins refused for a wrong password or an unknown user")
                .register(meters);
        this.lockouts = Counter.builder("fieldcloud_login_lockouts").description("(username, address) pairs locked by their last failure")
                .register(meters);
        this.refusedWhileLocked = Counter.builder("fieldcloud_login_refused_locked").description("Login attempts refused because the pair is locked")
                .register(meters);
    }

    /** What counting an attempt said: refused (already locked), or allowed as failure number {@code failures}. */
    public record Attempt(boolean refused, int failures) {
        public boolean last() {
            return failures >= LIMIT;
        }
    }

    /** Counts an attempt as a failure until it succeeds; refuses it (counting nothing) when the pair is locked. */
    public Attempt count(String username, String address) {
        return jdbc.sql("""
                INSERT INTO login_failures (username, client_address, failures, last_failure_at) VALUES (lower(:u), :a, 1, now())
                ON CONFLICT (username, client_address) DO UPDATE SET
                  failures = CASE WHEN login_failures.last_failure_at < now() - interval '%2$s' THEN 1 ELSE login_failures.failures + 1 END,
                  last_failure_at = now()
                 WHERE login_failures.failures < %1$d OR login_failures.last_failure_at < now() - interval '%2$s'
                RETURNING failures""".formatted(LIMIT, COOL_OFF))
                .param("u", username).param("a", address).query(Integer.class).optional()
                .map(failures -> new Attempt(false, failures))
                .orElseGet(() -> {
                    refusedWhileLocked.increment();
                    return new Attempt(true, LIMIT);
                });
    }

    /** The attempt's password was checked and wrong: counted for the metrics (the database counted it already). */
    public void failed(Attempt attempt) {
        failures.increment();
        if (attempt.last()) {
            lockouts.increment();
        }
    }

    /** Takes back a counted attempt whose password was never checked (the server was too busy to). */
    public void uncount(String username, String address) {
        jdbc.sql("UPDATE login_failures SET failures = failures - 1 WHERE username = lower(:u) AND client_address = :a AND failures > 0")
                .param("u", username).param("a", address).update();
    }

    public void succeed(String username, String address) {
        jdbc.sql("DELETE FROM login_failures WHERE username = lower(:u) AND client_address = :a").param("u", username).param("a", address).update();
    }
}
