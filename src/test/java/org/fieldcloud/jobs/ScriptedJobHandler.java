package org.fieldcloud.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * A test handler for {@code package} jobs (the real packaging work is not built yet) that does what the job's
 * {@code test_action} option says: log, fail, sleep, or block until the test releases its latch.
 */
@Component
public class ScriptedJobHandler implements JobHandler {

    static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return Job.PACKAGE;
    }

    @Override
    public void run(JobContext context) throws Exception {
        String action = String.valueOf(context.options().getOrDefault("test_action", "log"));
        String hidden = String.valueOf(context.options().getOrDefault("mask", ""));
        if (!hidden.isEmpty()) {
            context.addOutputFilter(text -> text.replace(hidden, "***"));
        }
        switch (action) {
            case "fail" -> throw new IllegalStateException("scripted failure for " + context.projectId() + (hidden.isEmpty() ? "" : " " + hidden));
            case "sleep" -> Thread.sleep(((Number) context.options().get("millis")).longValue());
            case "block" -> {
                CountDownLatch latch = LATCHES.computeIfAbsent(String.valueOf(context.options().get("latch")), k -> new CountDownLatch(1));
                if (!latch.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("latch never released");
                }
            }
            default -> {
                context.log("scripted step one " + hidden);
                context.feedback(Map.of("result", "ok", "secret", String.valueOf(context.options().getOrDefault("mask", ""))));
            }
        }
    }

    public static void release(String latch) {
        LATCHES.computeIfAbsent(latch, k -> new CountDownLatch(1)).countDown();
    }
}
