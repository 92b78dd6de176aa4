package org.fieldcloud.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.secrets.SecretResolution;
import org.springframework.stereotype.Component;

/**
 * The handler of the test-only job type {@value #TYPE} (the tests' database allows it through a test-only
 * migration, production refuses it), used to hold a project's queue or fail a job on purpose. It does what the job's
 * {@code test_action} option says: log, fail, sleep, or block until the test releases its latch; with
 * {@code emit_secret} it prints a real secret's value through the real masker.
 */
@Component
public class ScriptedJobHandler implements JobHandler {

    public static final String TYPE = "test_scripted";

    static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    private final SecretResolution secrets;

    public ScriptedJobHandler(SecretResolution secrets) {
        this.secrets = secrets;
    }

    @Override
    public void run(JobContext context) throws Exception {
        String action = String.valueOf(context.options().getOrDefault("test_action", "log"));
        String emitted = emittedSecret(context);
        switch (action) {
            case "fail" -> throw new IllegalStateException("scripted failure for " + context.projectId() + (emitted.isEmpty() ? "" : " " + emitted));
            case "sleep" -> Thread.sleep(((Number) context.options().get("millis")).longValue());
            case "block" -> {
                CountDownLatch latch = LATCHES.computeIfAbsent(String.valueOf(context.options().get("latch")), k -> new CountDownLatch(1));
                if (!latch.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("latch never released");
                }
            }
            default -> {
                context.log("scripted step one " + emitted);
                context.feedback(Map.of("result", "ok", "secret", emitted));
            }
        }
    }

    /**
     * With option {@code emit_secret}, the job resolves the real secrets of its creator, registers the real masker
     * as a job handler does, and then prints the value of the named secret: what a careless handler would do.
     */
    private String emittedSecret(JobContext context) {
        Object name = context.options().get("emit_secret");
        if (name == null) {
            return "";
        }
        JobSecrets resolved = secrets.forJob(context.createdBy(), context.projectId(), context.jobId());
        context.addOutputFilter(resolved.masker());
        return resolved.environment().get(String.valueOf(name));
    }

    public static void release(String latch) {
        LATCHES.computeIfAbsent(latch, k -> new CountDownLatch(1)).countDown();
    }
}
