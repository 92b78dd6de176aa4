package org.fieldcloud.deltas.apply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Applies deltas in order with the outcome each would have committed on its own (reference-api-jobs §4.3): a failed
 * delta is reported and the run goes on; batches that apply cleanly are committed together (see below). Features a device created earlier are found through {@code clientPks}
 * ({@code <clientId>__<localLayerId>__<localPk>} → server key), which creates in this run extend.
 * Unlike the reference, a patch attribute missing from {@code old.attributes} is simply not conflict-checked
 * (the reference crashes the whole job there), and an unexpected error fails only its own delta — except a
 * {@link JobMustFailException} (e.g. a failed SET ROLE), which ends the run: deltas of the unfinished batch are rolled
 * back and the exception fails the job.
 */
public final class DeltaApplier {

    public List<DeltaFeedback> apply(List<JsonNode> deltas, Map<String, String> clientPks, boolean overwriteConflicts,
                                     LayerOpener opener, Consumer<String> log) {
        return apply(deltas, clientPks, overwriteConflicts, opener, log, result -> { });
    }

    /**
     * As above, telling {@code onResult} about each delta once its outcome is durable. Deltas go in batches of
     * {@value #BATCH}: a batch is first applied in one transaction per layer, and only if every delta of it
     * applies cleanly is it committed as a whole; otherwise it is rolled back and applied again one delta per
     * transaction, which gives each delta its own outcome. In the batch, layers that can (PostGIS) read the features
     * of its patches and deletes ahead in one statement, and send its creates, updates and deletes as a few
     * statements (see {@link Batch}); the common case costs a handful of round trips per batch.
     */
    public List<DeltaFeedback> apply(List<JsonNode> deltas, Map<String, String> clientPks, boolean overwriteConflicts,
                                     LayerOpener opener, Consumer<String> log, Consumer<DeltaFeedback> onResult) {
        Map<String, String> keys = new HashMap<>(clientPks);
        Map<String, FeatureLayer> layers = new LinkedHashMap<>();
        Map<String, String> unopenable = new HashMap<>();
        List<DeltaFeedback> feedback = new ArrayList<>();
        try {
            for (int start = 0; start < deltas.size(); start += BATCH) {
                int end = Math.min(deltas.size(), start + BATCH);
                List<DeltaFeedback> batch = applyBatch(deltas, start, end, keys, overwriteConflicts, opener, layers, unopenable, log);
                feedback.addAll(batch);
                batch.forEach(onResult);
            }
        } finally {
            layers.values().forEach(DeltaApplier::closeQuietly);
        }
        return feedback;
    }

    static final int BATCH = 500;

    private List<DeltaFeedback> applyBatch(List<JsonNode> deltas, int start, int end, Map<String, String> keys, boolean overwrite,
                                           LayerOpener opener, Map<String, FeatureLayer> layers, Map<String, String> unopenable,
                                           Consumer<String> log) {
        Batch batch = new Batch(keys);
        List<String> lines = new ArrayList<>();
        List<DeltaFeedback> results = new ArrayList<>();
        readAhead(deltas, start, end, keys, opener, layers, unopenable, batch);
        boolean clean = true;
        for (int i = start; i < end && clean; i++) {
            if (!"create".equals(deltas.get(i).path("method").asString(""))) {
                // A patch or delete may address a feature created earlier in this batch: send the creates first.
                clean = flushQueued(batch, results, start, lines);
            }
            if (clean) {
                DeltaFeedback result = applyOne(i, deltas.get(i), keys, overwrite, opener, layers, unopenable, lines::add, batch);
                results.add(result);
                clean = DeltaFeedback.APPLIED.equals(result.status());
            }
        }
        clean = clean && flushQueued(batch, results, start, lines)
                && onEveryLayer(layers, FeatureLayer::flushWrites, "Sending the batch's changes failed", lines);
        if (clean && onEveryLayer(layers, FeatureLayer::commit, "Committing the batch failed", lines)) {
            lines.forEach(log);
            return results;
        }
        layers.values().forEach(DeltaApplier::rollbackQuietly);
        batch.undoKeys();
        results.clear();
        for (int i = start; i < end; i++) {
            results.add(applyOne(i, deltas.get(i), keys, overwrite, opener, layers, unopenable, log, null));
        }
        return results;
    }

    /** A create sent later in a batch: where its result is, and the clientPks key its stored key goes under. */
    private record Queued(FeatureLayer layer, int slot, int index, String clientKey) { }

    /**
     * What a batch defers: its queued creates; the rows of its patches and deletes read ahead (the table as it was when
     * the batch began); the features it has already changed, which are read again, after the queued writes are sent,
     * if a later delta of the batch addresses them; and the client keys it added, taken back if the batch is redone
     * one delta at a time.
     */
    private static final class Batch {
        final Map<String, String> keys;
        final List<Queued> creates = new ArrayList<>();
        final Map<FeatureLayer, Map<String, List<Map<String, Object>>>> readAhead = new IdentityHashMap<>();
        final Map<FeatureLayer, Set<String>> written = new IdentityHashMap<>();
        private final Map<String, String> replacedKeys = new HashMap<>();

        Batch(Map<String, String> keys) {
            this.keys = keys;
        }

        void putKey(String clientKey, String key) {
            String previous = keys.put(clientKey, key);
            if (!replacedKeys.containsKey(clientKey)) {
                replacedKeys.put(clientKey, previous);
            }
        }

        void undoKeys() {
            replacedKeys.forEach((clientKey, previous) -> {
                if (previous == null) {
                    keys.remove(clientKey);
                } else {
                    keys.put(clientKey, previous);
                }
            });
            replacedKeys.clear();
        }
    }

    /**
     * Reads, per layer that can, the features the batch's patches and deletes address, in one statement. A failure
     * here only means those deltas read their features one by one (and report any error themselves).
     */
    private static void readAhead(List<JsonNode> deltas, int start, int end, Map<String, String> keys, LayerOpener opener,
                                  Map<String, FeatureLayer> layers, Map<String, String> unopenable, Batch batch) {
        Map<String, Set<String>> pksByLayer = new LinkedHashMap<>();
        for (int i = start; i < end; i++) {
            JsonNode delta = deltas.get(i);
            String method = delta.path("method").asString("");
            String pk = keys.getOrDefault(clientKey(delta), delta.path("sourcePk").asString(""));
            if (("patch".equals(method) || "delete".equals(method)) && !pk.isBlank()) {
                pksByLayer.computeIfAbsent(layerId(delta), k -> new LinkedHashSet<>()).add(pk);
            }
        }
        for (Map.Entry<String, Set<String>> entry : pksByLayer.entrySet()) {
            FeatureLayer layer = null;
            try {
                layer = layer(entry.getKey(), opener, layers, unopenable);
                if (entry.getValue().size() > 1 && layer.queuesWrites()) {
                    batch.readAhead.put(layer, layer.findAll(entry.getValue()));
                }
            } catch (JobMustFailException e) {
                throw e;
            } catch (Exception e) {
                rollbackQuietly(layer);
            }
        }
    }

    /** Sends queued creates and fills in their keys; false when sending failed (the batch then goes one by one). */
    private static boolean flushQueued(Batch batch, List<DeltaFeedback> results, int start, List<String> lines) {
        List<Queued> queued = batch.creates;
        if (queued.isEmpty()) {
            return true;
        }
        Map<FeatureLayer, Map<Integer, String>> stored = new IdentityHashMap<>();
        try {
            for (Queued q : queued) {
                if (!stored.containsKey(q.layer())) {
                    stored.put(q.layer(), q.layer().flushInserts());
                }
            }
        } catch (Exception e) {
            lines.add("Sending the batch's new features failed (" + DataSourceErrors.describe(e) + "); applying its deltas one by one.");
            queued.clear();
            return false;
        }
        for (Queued q : queued) {
            String key = stored.get(q.layer()).get(q.slot());
            DeltaFeedback r = results.get(q.index() - start);
            results.set(q.index() - start, new DeltaFeedback(r.deltaId(), r.status(), r.msg(), r.eType(), r.layerId(), r.deltaIndex(),
                    r.featurePk(), key, r.conflicts(), r.method()));
            batch.putKey(q.clientKey(), key);
            lines.add("Delta " + r.deltaId() + " (create on layer " + r.layerId() + ") applied; feature key " + key);
        }
        queued.clear();
        return true;
    }

    private interface LayerStep {
        void run(FeatureLayer layer) throws Exception;
    }

    /**
     * Runs a step of the batch's end (sending its queued writes, committing) on every layer; false when it failed on
     * one, with {@code failure} naming the step in the log (the batch then goes one by one).
     */
    private static boolean onEveryLayer(Map<String, FeatureLayer> layers, LayerStep step, String failure, List<String> lines) {
        try {
            for (FeatureLayer layer : layers.values()) {
                step.run(layer);
            }
            return true;
        } catch (Exception e) {
            lines.add(failure + " (" + DataSourceErrors.describe(e) + "); applying its deltas one by one.");
            return false;
        }
    }

    private DeltaFeedback applyOne(int index, JsonNode delta, Map<String, String> keys, boolean overwrite, LayerOpener opener,
                                   Map<String, FeatureLayer> layers, Map<String, String> unopenable, Consumer<String> log,
                                   Batch batch) {
        boolean commitEach = batch == null;
        UUID id = UUID.fromString(delta.get("uuid").asString());
        String method = delta.get("method").asString();
        String layerId = layerId(delta);
        String featurePk = delta.path("sourcePk").asString("");
        Outcome outcome = new Outcome();
        FeatureLayer layer = null;
        try {
            layer = layer(layerId, opener, layers, unopenable);
            String clientKey = clientKey(delta);
            switch (method) {
                case "create" -> {
                    if (batch != null && layer.queuesInserts()) {
                        batch.creates.add(new Queued(layer, layer.queueInsert(attributes(layer, delta), geometry(layer, delta)), index, clientKey));
                        return feedback(id, DeltaFeedback.APPLIED, "Successfully applied delta!", null, layerId, index, featurePk, null, null, method);
                    }
                    outcome.modifiedPk = create(layer, delta);
                }
                case "patch" -> outcome.modifiedPk = patch(layer, delta, keys.getOrDefault(clientKey, featurePk), overwrite, outcome, log, batch);
                case "delete" -> outcome.modifiedPk = delete(layer, delta, keys.getOrDefault(clientKey, featurePk), overwrite, outcome, log, batch);
                default -> throw new DeltaFailure("Unknown delta method \"" + method + "\".");
            }
            if (outcome.conflictBlocked) {
                layer.rollback();
                return feedback(id, DeltaFeedback.CONFLICT, "The delta has conflicts and the project does not overwrite conflicts.",
                        "CONFLICT", layerId, index, featurePk, null, outcome.conflicts, method);
            }
            if (commitEach) {
                layer.commit();
            }
            if ("create".equals(method)) {
                if (batch == null) {
                    keys.put(clientKey, outcome.modifiedPk);
                } else {
                    batch.putKey(clientKey, outcome.modifiedPk);
                }
            }
            log.accept("Delta " + id + " (" + method + " on layer " + layerId + ") applied; feature key " + outcome.modifiedPk);
            return feedback(id, DeltaFeedback.APPLIED, "Successfully applied delta!", null, layerId, index, featurePk,
                    outcome.modifiedPk, outcome.conflicts.isEmpty() ? null : outcome.conflicts, method);
        } catch (JobMustFailException e) {
            rollbackQuietly(layer);
            throw e;
        } catch (DeltaFailure | LayerException e) {
            rollbackQuietly(layer);
            log.accept("Delta " + id + " (" + method + " on layer " + layerId + ") not applied: " + e.getMessage());
            return feedback(id, DeltaFeedback.FAILED, e.getMessage(), "ERROR", layerId, index, featurePk, null, null, method);
        } catch (Exception e) {
            rollbackQuietly(layer);
            String message = DataSourceErrors.describe(e);
            log.accept("Delta " + id + " (" + method + " on layer " + layerId + ") failed: " + message);
            return feedback(id, e instanceof java.sql.SQLException ? DeltaFeedback.FAILED : DeltaFeedback.UNKNOWN, message, "ERROR",
                    layerId, index, featurePk, null, null, method);
        }
    }

    /** The layer a delta edits: its source layer, or the local one when the device names none. */
    private static String layerId(JsonNode delta) {
        String sourceLayer = delta.path("sourceLayerId").asString("");
        return sourceLayer.isEmpty() ? delta.path("localLayerId").asString("") : sourceLayer;
    }

    private static FeatureLayer layer(String layerId, LayerOpener opener, Map<String, FeatureLayer> layers,
                                      Map<String, String> unopenable) throws LayerException {
        if (unopenable.containsKey(layerId)) {
            throw new LayerException(unopenable.get(layerId));
        }
        FeatureLayer layer = layers.get(layerId);
        if (layer == null) {
            try {
                layer = opener.open(layerId);
            } catch (LayerException e) {
                unopenable.put(layerId, e.getMessage());
                throw e;
            }
            layers.put(layerId, layer);
        }
        return layer;
    }

    private static String create(FeatureLayer layer, JsonNode delta) throws Exception {
        return layer.insert(attributes(layer, delta), geometry(layer, delta));
    }

    /** The created feature's attributes that the layer has (others are ignored, as QGIS does). */
    private static Map<String, Object> attributes(FeatureLayer layer, JsonNode delta) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (var entry : delta.path("new").path("attributes").properties()) {
            if (layer.fields().contains(entry.getKey())) {
                attributes.put(entry.getKey(), Values.plain(entry.getValue()));
            }
        }
        return attributes;
    }

    /** The created feature's geometry as ISO WKT, or null: none given, null, or a layer without geometry. */
    private static String geometry(FeatureLayer layer, JsonNode delta) throws DeltaFailure {
        JsonNode created = delta.path("new");
        if (layer.spatial() && created.has("geometry") && !created.get("geometry").isNull()) {
            return Wkt.normalize(created.get("geometry").asString());
        }
        return null;
    }

    private static String patch(FeatureLayer layer, JsonNode delta, String pk, boolean overwrite, Outcome outcome,
                                Consumer<String> log, Batch batch) throws Exception {
        Map<String, Object> current = current(layer, pk, batch);
        JsonNode old = delta.path("old");
        JsonNode changed = delta.path("new");
        checkConflicts(layer, old, current, overwrite, outcome, log);
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (var entry : changed.path("attributes").properties()) {
            JsonNode before = old.path("attributes").get(entry.getKey());
            if (before != null && before.equals(entry.getValue())) {
                continue;
            }
            if (!layer.fields().contains(entry.getKey())) {
                throw new DeltaFailure("Unable to change attribute \"" + entry.getKey() + "\": the layer has no such field.");
            }
            attributes.put(entry.getKey(), Values.plain(entry.getValue()));
        }
        FeatureLayer.Geometry geometry = null;
        if (layer.spatial() && changed.has("geometry") && !changed.get("geometry").equals(old.get("geometry"))) {
            JsonNode g = changed.get("geometry");
            geometry = g.isNull() ? FeatureLayer.Geometry.REMOVE : new FeatureLayer.Geometry(Wkt.normalize(g.asString()));
        }
        if (attributes.isEmpty() && geometry == null) {
            return pk;
        }
        if (batch != null && layer.queuesWrites()) {
            layer.queueUpdate(pk, attributes, geometry);
        } else {
            layer.update(pk, attributes, geometry);
        }
        return pk;
    }

    private static String delete(FeatureLayer layer, JsonNode delta, String pk, boolean overwrite, Outcome outcome,
                                 Consumer<String> log, Batch batch) throws Exception {
        Map<String, Object> current = current(layer, pk, batch);
        checkConflicts(layer, delta.path("old"), current, overwrite, outcome, log);
        if (outcome.conflictBlocked) {
            return pk;
        }
        if (batch != null && layer.queuesWrites()) {
            layer.queueDelete(pk);
        } else {
            layer.delete(pk);
        }
        return pk;
    }

    /**
     * The feature a patch or delete addresses, as it is now: read ahead when the batch has not changed it yet,
     * otherwise read after the batch's queued writes are sent.
     */
    private static Map<String, Object> current(FeatureLayer layer, String pk, Batch batch) throws Exception {
        if (batch == null) {
            return one(layer, pk, layer.find(pk));
        }
        Set<String> written = batch.written.computeIfAbsent(layer, k -> new HashSet<>());
        Map<String, List<Map<String, Object>>> ahead = batch.readAhead.get(layer);
        List<Map<String, Object>> rows = ahead == null || written.contains(pk) ? null : ahead.get(pk);
        if (rows == null) {
            layer.flushWrites();
            rows = layer.find(pk);
        }
        Map<String, Object> row = one(layer, pk, rows);
        written.add(layer.keyText(row));
        return row;
    }

    private static Map<String, Object> one(FeatureLayer layer, String pk, List<Map<String, Object>> found) throws DeltaFailure {
        if (found.isEmpty()) {
            throw new DeltaFailure("Unable to find feature with " + layer.primaryKey() + " = " + pk
                    + " (it does not exist, or the database role may not see it).");
        }
        if (found.size() > 1) {
            throw new DeltaFailure("More than one feature has " + layer.primaryKey() + " = " + pk + ".");
        }
        return found.get(0);
    }

    /** Only {@code old.attributes} are compared, never the geometry (reference-api-jobs §2.6). */
    private static void checkConflicts(FeatureLayer layer, JsonNode old, Map<String, Object> current, boolean overwrite,
                                       Outcome outcome, Consumer<String> log) {
        for (var entry : old.path("attributes").properties()) {
            if (!layer.fields().contains(entry.getKey())) {
                continue;
            }
            Object value = current.get(entry.getKey());
            if (!Values.same(value, entry.getValue())) {
                outcome.conflicts.add("The attribute \"" + entry.getKey() + "\" that has a conflict:\n-" + Values.show(value)
                        + "\n+" + Values.show(Values.plain(entry.getValue())));
            }
        }
        if (!outcome.conflicts.isEmpty()) {
            if (overwrite) {
                log.accept("Overwriting conflicts: " + String.join("; ", outcome.conflicts));
            } else {
                outcome.conflictBlocked = true;
            }
        }
    }

    /**
     * How a device's created feature is remembered: {@code <clientId>__<localLayerId>__<localPk>}, the key of the
     * client primary keys map that later patches and deletes of the same device are looked up in.
     */
    public static String clientKey(JsonNode delta) {
        return delta.path("clientId").asString("") + "__" + delta.path("localLayerId").asString("") + "__" + delta.path("localPk").asString("");
    }

    private static DeltaFeedback feedback(UUID id, String status, String msg, String eType, String layerId, int index,
                                          String featurePk, String modifiedPk, List<String> conflicts, String method) {
        return new DeltaFeedback(id, status, msg, eType, layerId, index, featurePk, modifiedPk, conflicts, method);
    }

    static void rollbackQuietly(FeatureLayer layer) {
        if (layer != null) {
            try {
                layer.rollback();
            } catch (Exception ignored) {
                // the delta is already reported as failed; the next delta starts a fresh transaction
            }
        }
    }

    private static void closeQuietly(FeatureLayer layer) {
        try {
            layer.close();
        } catch (Exception ignored) {
            // closing after the run: nothing left to save
        }
    }

    private static final class Outcome {
        String modifiedPk;
        final List<String> conflicts = new ArrayList<>();
        boolean conflictBlocked;
    }
}
