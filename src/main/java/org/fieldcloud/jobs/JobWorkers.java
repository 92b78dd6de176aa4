package org.fieldcloud.jobs;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.fieldcloud.ops.PgNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The workers of this process. A {@link PgNotifications} listener wakes a worker on every notification of the
 * queue's channel (no polling sleeps; a 30 s re-check covers a lost connection); a job queued by this process wakes
 * one directly after its commit ({@link Jobs#committed}).
 * Each job runs on its own thread with a deadline; heartbeats mark live jobs, and jobs of dead workers
 * (stale heartbeat, in any process) are failed and reported to the {@link JobRecoveryListener}s.
 */
@Component
@Profile("!admin")
class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    private static final long FALLBACK_WAIT_MS = 30_000;

    private final Jobs jobs;
    private final DataSource dataSource;
    private final JobSettings settings;
    private final Map<String, JobHandler> handlers;
    private final List<JobRecoveryListener> listeners;
    private final MeterRegistry meters;
    private final String workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Semaphore wakeUps = new Semaphore(0);
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private volatile boolean active;
    private ExecutorService threads;
    private PgNotifications notifications;
    private ScheduledExecutorService maintenance;

    JobWorkers(Jobs jobs, DataSource dataSource, JobSettings settings, List<JobHandler> handlers, List<JobRecoveryListener> listeners,
               MeterRegistry meters) {
        this.jobs = jobs;
        this.meters = meters;
        Gauge.builder("fieldcloud_jobs_waiting", jobs, Jobs::queueDepth).description("Jobs waiting to be claimed (all nodes)").register(meters);
        this.dataSource = dataSource;
        this.settings = settings;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::type, Function.identity()));
        this.listeners = listeners;
    }

    @Override
    public void start() {
        active = true;
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "job-maintenance"));
        long beat = settings.jobs().heartbeatSeconds();
        maintenance.scheduleWithFixedDelay(this::maintain, beat, beat, TimeUnit.SECONDS);
        if (settings.workers() <= 0) {
            log.info("No job workers in this process (FIELDCLOUD_WORKERS=0)");
            return;
        }
        threads = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "job-worker");
            t.setDaemon(false);
            return t;
        });
        notifications = new PgNotifications(dataSource, Jobs.CHANNEL, (int) FALLBACK_WAIT_MS, new PgNotifications.Listener() {
            @Override
            public void connected(boolean listening) {
                // Whatever was queued while nobody listened is found by looking once.
                wakeUps.release(settings.workers());
            }

            @Override
            public void received(String payload) {
                wakeUps.release(1);
            }
        });
        jobs.wakeLocally(() -> wakeUps.release(1));
        for (int i = 0; i < settings.workers(); i++) {
            threads.submit(this::work);
        }
        log.info("Started {} job worker(s) as {}", settings.workers(), workerId);
    }

    private void work() {
        while (active) {
            try {
                var job = jobs.claim(workerId);
                if (job.isPresent()) {
                    run(job.get());
                } else {
                    wakeUps.tryAcquire(FALLBACK_WAIT_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.error("Job worker error", e);
                sleep(1000);
            }
        }
    }

    private void run(Job job) {
        JobHandler handler = handlers.get(job.type());
        JobContext context = new JobContext(job, jobs);
        running.add(job.id());
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> daemon(r, "job-" + job.id()));
        try {
            if (handler == null) {
                end(job, "failed", "Job failed: no worker here can run jobs of type '" + job.type() + "'.");
                return;
            }
            context.log("Job " + job.id() + " (" + job.type() + ") started by worker " + workerId);
            Future<?> work = runner.submit(() -> {
                handler.run(context);
                return null;
            });
            long timeout = timeoutSeconds(job);
            try {
                work.get(timeout, TimeUnit.SECONDS);
                end(job, "finished", "Job finished.");
            } catch (TimeoutException e) {
                context.cancel();
                work.cancel(true);
                end(job, "failed", "Job failed: it ran longer than the time limit of " + timeout + " s and was stopped.");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String reason = context.filter("Job failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
                // The server log gets the masked reason only: a cause's own text may quote a secret.
                log.info("Job {} failed ({}): {}", job.id(), cause.getClass().getSimpleName(), reason);
                end(job, "failed", reason);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(job, "failed", "Job failed: the worker was shut down while it ran.");
        } finally {
            running.remove(job.id());
            runner.shutdownNow();
        }
    }

    /** The configured limit, or a shorter one the job asked for in its options. */
    private long timeoutSeconds(Job job) {
        Object asked = job.options().get("timeout_seconds");
        long limit = settings.jobs().timeoutSeconds();
        return asked instanceof Number n && n.longValue() > 0 ? Math.min(n.longValue(), limit) : limit;
    }

    private void end(Job job, String status, String line) {
        boolean ended = jobs.finish(job.id(), status, line);
        if (ended && job.startedAt() != null) {
            Timer.builder("fieldcloud_job_duration").description("Jobs run by this process, by type and outcome")
                    .tag("type", job.type()).tag("status", status).register(meters)
                    .record(java.time.Duration.between(job.startedAt().toInstant(), java.time.Instant.now()));
        }
        if (ended && !"finished".equals(status)) {
            abandoned(job);
        }
    }

    private void maintain() {
        try {
            jobs.heartbeat(Set.copyOf(running));
            jobs.failStale(settings.staleAfterSeconds()).forEach(this::abandoned);
        } catch (Exception e) {
            log.warn("Job maintenance failed: {}", e.getMessage());
        }
    }

    private void abandoned(Job job) {
        for (JobRecoveryListener l : listeners) {
            try {
                l.jobAbandoned(job.id(), job.projectId(), job.type());
            } catch (Exception e) {
                log.error("Recovery of job {} failed in {}", job.id(), l.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void stop() {
        active = false;
        jobs.wakeLocally(() -> { });
        if (notifications != null) {
            notifications.close();
        }
        if (threads != null) {
            threads.shutdownNow();
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
