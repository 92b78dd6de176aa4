package org.fieldcloud.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldcloud.api.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Password checks with bounded concurrency: each Argon2 check allocates 16 MiB, so unbounded parallel logins (from
 * anyone, no account needed) could exhaust the heap. A check waits briefly for one of a fixed number of slots and
 * is otherwise answered 429 with {@code Retry-After}. Unknown users are checked against a dummy hash so that the
 * answer takes as long as for a known user and does not tell who has an account.
 */
@Component
public class PasswordChecks {

    static final int RETRY_AFTER_SECONDS = 1;

    private final Passwords passwords;
    private final Semaphore slots;
    private final int capacity;
    private final long waitNanos;
    private final String dummyHash;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Counter checks;
    private final Counter refused;

    PasswordChecks(Passwords passwords, LoginSettings settings, MeterRegistry meters) {
        this.passwords = passwords;
        this.capacity = settings.concurrentHashChecks();
        this.slots = new Semaphore(capacity, true);
        this.waitNanos = settings.hashWait().toNanos();
        this.dummyHash = passwords.hash("no account has this password " + System.nanoTime());
        this.checks = meters.counter("fieldcloud.login.hash.checks");
        this.refused = meters.counter("fieldcloud.login.hash.checks.refused");
        Gauge.builder("fieldcloud.login.hash.checks.active", active, AtomicInteger::get).register(meters);
        Gauge.builder("fieldcloud.login.hash.checks.peak", peak, AtomicInteger::get)
                .description("most password checks that ever ran at once; never above the configured cap").register(meters);
        Gauge.builder("fieldcloud.login.hash.checks.capacity", () -> capacity).register(meters);
    }

    /** Checks a password against a stored hash, or against a dummy one when there is no such user. */
    public boolean matches(String password, String hashOrNull) {
        acquire();
        int now = active.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try {
            checks.increment();
            boolean ok = passwords.matches(password, hashOrNull == null ? dummyHash : hashOrNull);
            return ok && hashOrNull != null;
        } finally {
            active.decrementAndGet();
            slots.release();
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Password checks run since start (each one costs an Argon2 hash). */
    public long checked() {
        return (long) checks.count();
    }

    public int peak() {
        return peak.get();
    }

    private void acquire() {
        boolean got;
        try {
            got = slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            refused.increment();
            throw new Busy();
        }
    }

    /** 429: every password-check slot stayed taken for the whole wait. */
    public static final class Busy extends ApiException {
        Busy() {
            super(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                    "The server is checking too many passwords at once; try again in " + RETRY_AFTER_SECONDS + " second(s).",
                    RETRY_AFTER_SECONDS);
        }
    }
}
