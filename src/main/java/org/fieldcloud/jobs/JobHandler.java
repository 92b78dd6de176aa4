package org.fieldcloud.jobs;

/** The work of one job type; features contribute handlers as beans. */
public interface JobHandler {

    /** {@code process_projectfile}, {@code package} or {@code delta_apply}. */
    String type();

    /** Does the work; throwing fails the job with the exception's message in its output. */
    void run(JobContext context) throws Exception;
}
