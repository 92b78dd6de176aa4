package org.fieldcloud.deltas.apply;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An editable layer during one apply run. The applier calls {@link #commit()} or {@link #rollback()} after each
 * delta, or after each batch of deltas when the layer queues writes.
 */
public interface FeatureLayer extends AutoCloseable {

    /** The single primary-key column (or the {@code fid} field) deltas address features by. */
    String primaryKey();

    /** Attribute field names, the primary key included, the geometry column excluded. */
    Set<String> fields();

    boolean spatial();

    /** Current attribute values of the features whose key equals {@code pk} (compared by value: "1" finds 1). */
    List<Map<String, Object>> find(String pk) throws Exception;

    /** Inserts a feature; {@code wkt} null means no geometry. Returns the stored key as text. */
    String insert(Map<String, Object> attributes, String wkt) throws Exception;

    /** Updates attributes and, when {@code geometry} is non-null, the geometry ({@code Geometry.REMOVE} clears it). */
    void update(String pk, Map<String, Object> attributes, Geometry geometry) throws Exception;

    void delete(String pk) throws Exception;

    /** Whether this layer can queue inserts and send them together ({@link #queueInsert}, {@link #flushInserts}). */
    default boolean queuesInserts() {
        return false;
    }

    /** Queues an insert; its key is known after {@link #flushInserts()}. Returns the insert's slot number. */
    default int queueInsert(Map<String, Object> attributes, String wkt) throws Exception {
        throw new UnsupportedOperationException("this layer does not queue inserts");
    }

    /** Runs the queued inserts; returns the stored key of each slot. */
    default Map<Integer, String> flushInserts() throws Exception {
        return Map.of();
    }

    /**
     * Whether this layer can read features ahead and queue updates and deletes ({@link #findAll}, {@link #queueUpdate},
     * {@link #queueDelete}, {@link #flushWrites}), so that a batch of patches costs a few round trips instead of two per delta.
     */
    default boolean queuesWrites() {
        return false;
    }

    /**
     * The current attribute values of the features with these keys, grouped by {@link #keyText} of each row; a key no
     * feature has is absent. Same visibility as {@link #find}.
     */
    default Map<String, List<Map<String, Object>>> findAll(java.util.Collection<String> pks) throws Exception {
        throw new UnsupportedOperationException("this layer does not read ahead");
    }

    /** A row's primary key as the text deltas address it by: the same for a row from {@link #find} and {@link #findAll}. */
    default String keyText(Map<String, Object> row) {
        return String.valueOf(row.get(primaryKey()));
    }

    /** Queues an {@link #update}; it runs, and its row count is checked, in {@link #flushWrites()}. */
    default void queueUpdate(String pk, Map<String, Object> attributes, Geometry geometry) throws Exception {
        throw new UnsupportedOperationException("this layer does not queue updates");
    }

    /** Queues a {@link #delete}; it runs, and its row count is checked, in {@link #flushWrites()}. */
    default void queueDelete(String pk) throws Exception {
        throw new UnsupportedOperationException("this layer does not queue deletes");
    }

    /** Runs the queued updates and deletes; fails (with nothing more sent) when one of them did not touch exactly one row. */
    default void flushWrites() throws Exception {
    }

    /**
     * The type each attribute field declares in its source (e.g. {@code integer}, {@code TEXT}, {@code double precision});
     * empty when the source declares none (GeoJSON, CSV), so the reader decides from the values.
     */
    default Map<String, String> declaredTypes() {
        return Map.of();
    }

    /**
     * Streams every feature the layer shows (inside its subset string) to {@code sink}, in the source's order, without
     * holding them all: a package of any size is read in constant memory.
     */
    void scan(FeatureSink sink) throws Exception;

    void commit() throws Exception;

    void rollback() throws Exception;

    @Override
    void close() throws Exception;

    /** A geometry change: new WKT, or removal. */
    record Geometry(String wkt) {
        public static final Geometry REMOVE = new Geometry(null);
    }
}
