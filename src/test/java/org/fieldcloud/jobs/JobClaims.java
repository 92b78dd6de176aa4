package org.fieldcloud.jobs;

import java.util.Optional;

/** For benchmarks outside this package: a worker's claim and the context a handler receives, without a worker. */
public final class JobClaims {

    private JobClaims() { }

    public static Optional<JobContext> claim(Jobs jobs, String workerId) {
        return jobs.claim(workerId).map(job -> new JobContext(job, jobs));
    }

    public static void finish(Jobs jobs, JobContext context) {
        jobs.finish(context.jobId(), "finished", "Job finished.");
    }
}
