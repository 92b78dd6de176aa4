package org.fieldcloud.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting for something another process or thread will make true, checked every 50 ms, failing after a limit. */
public final class Await {

    private Await() { }

    public static void until(BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
