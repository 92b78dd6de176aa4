package org.fieldcloud.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What a running job sees: its row, a progress log that is stored as it is written, its feedback, and
 * output filters (e.g. the secrets masker) that every log line and the feedback pass through before
 * they reach the database.
 */
public final class JobContext {

    private final Job job;
    private final Jobs jobs;
    private final List<UnaryOperator<String>> filters = new ArrayList<>();
    private volatile boolean cancelled;

    JobContext(Job job, Jobs jobs) {
        this.job = job;
        this.jobs = jobs;
    }

    public UUID jobId() {
        return job.id();
    }

    public UUID projectId() {
        return job.projectId();
    }

    /** The person who triggered the job: secrets are resolved for them. */
    public Long createdBy() {
        return job.createdBy();
    }

    public Map<String, Object> options() {
        return job.options();
    }

    public synchronized void addOutputFilter(UnaryOperator<String> filter) {
        filters.add(filter);
    }

    public void log(String line) {
        jobs.appendOutput(job.id(), filter(line));
    }

    /** Stores the feedback with every text in it filtered before serialization, and the serialized form once more. */
    public void feedback(Map<String, Object> feedback) {
        jobs.storeFeedback(job.id(), filter(jobs.toJson(filtered(feedback))));
    }

    /**
     * A copy of a JSON-like tree (maps, lists, strings, other scalars) with every string, keys included, passed
     * through the output filters: a value is masked in its raw form, before JSON escaping could hide it.
     */
    public Object filtered(Object value) {
        return switch (value) {
            case null -> null;
            case String text -> filter(text);
            case Map<?, ?> map -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(filtered(k), filtered(v)));
                yield out;
            }
            case Collection<?> items -> items.stream().map(this::filtered).toList();
            default -> value;
        };
    }

    public boolean cancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    void cancel() {
        cancelled = true;
    }

    public synchronized String filter(String text) {
        String out = text;
        for (UnaryOperator<String> f : filters) {
            out = f.apply(out);
        }
        return out;
    }
}
