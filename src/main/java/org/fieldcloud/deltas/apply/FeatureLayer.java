package org.fieldcloud.deltas.apply;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An editable layer during one apply run. Every delta is its own transaction: the applier calls
 * {@link #commit()} or {@link #rollback()} after each one.
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
