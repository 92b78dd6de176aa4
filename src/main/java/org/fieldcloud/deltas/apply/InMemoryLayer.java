package org.fieldcloud.deltas.apply;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file layer held in memory while deltas are applied (CSV, GeoJSON): edits change a working copy,
 * {@link #commit()} writes the whole file atomically, {@link #rollback()} returns to the last written state.
 * Features are addressed by their {@code fid} attribute.
 */
abstract class InMemoryLayer implements FeatureLayer {

    /** One feature: attributes by name, plus geometry as ISO WKT (null: none). */
    static final class Feature {
        final LinkedHashMap<String, Object> attributes;
        String wkt;

        Feature(LinkedHashMap<String, Object> attributes, String wkt) {
            this.attributes = attributes;
            this.wkt = wkt;
        }

        Feature copy() {
            return new Feature(new LinkedHashMap<>(attributes), wkt);
        }
    }

    protected final Set<String> fields;
    private List<Feature> committed;
    protected List<Feature> features;

    InMemoryLayer(Set<String> fields, List<Feature> features) throws LayerException {
        this.fields = new LinkedHashSet<>(fields);
        if (fields.stream().noneMatch("fid"::equals)) {
            throw new NoPrimaryKeyException("The layer neither has a primary key, nor an attribute `fid`!");
        }
        this.committed = features;
        this.features = copy(features);
    }

    /** Writes the current features to the file. */
    protected abstract void write(List<Feature> features) throws Exception;

    @Override
    public String primaryKey() {
        return "fid";
    }

    @Override
    public Set<String> fields() {
        return fields;
    }

    @Override
    public List<Map<String, Object>> find(String pk) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Feature f : features) {
            if (keyMatches(f.attributes.get("fid"), pk)) {
                found.add(f.attributes);
            }
        }
        return found;
    }

    @Override
    public String insert(Map<String, Object> attributes, String wkt) {
        LinkedHashMap<String, Object> row = new LinkedHashMap<>();
        fields.forEach(name -> row.put(name, attributes.get(name)));
        if (row.get("fid") == null) {
            row.put("fid", nextFid());
        }
        features.add(new Feature(row, wkt));
        return String.valueOf(row.get("fid") instanceof BigDecimal d ? d.toPlainString() : row.get("fid"));
    }

    @Override
    public void update(String pk, Map<String, Object> attributes, Geometry geometry) throws DeltaFailure {
        Feature f = one(pk);
        f.attributes.putAll(attributes);
        if (geometry != null) {
            f.wkt = geometry.wkt();
        }
    }

    @Override
    public void delete(String pk) throws DeltaFailure {
        features.remove(one(pk));
    }

    @Override
    public void scan(FeatureSink sink) throws Exception {
        for (Feature f : features) {
            sink.accept(new LinkedHashMap<>(f.attributes), f.wkt == null ? null : mil.nga.sf.wkt.GeometryReader.readGeometry(f.wkt));
        }
    }

    @Override
    public void commit() throws Exception {
        write(features);
        committed = copy(features);
    }

    @Override
    public void rollback() {
        features = copy(committed);
    }

    @Override
    public void close() {
        // nothing is held open: every commit wrote the file
    }

    private Feature one(String pk) throws DeltaFailure {
        for (Feature f : features) {
            if (keyMatches(f.attributes.get("fid"), pk)) {
                return f;
            }
        }
        throw new DeltaFailure("Unable to find feature with fid = " + pk + ".");
    }

    private long nextFid() {
        long max = 0;
        for (Feature f : features) {
            try {
                max = Math.max(max, new BigDecimal(String.valueOf(f.attributes.get("fid"))).longValue());
            } catch (NumberFormatException ignored) {
                // a non-numeric fid does not take part in numbering
            }
        }
        return max + 1;
    }

    /** Keys compare by value: "1", 1 and 1.0 are the same feature. */
    static boolean keyMatches(Object stored, String pk) {
        if (stored == null) return false;
        String s = stored instanceof BigDecimal d ? d.toPlainString() : stored.toString();
        if (s.equals(pk)) return true;
        try {
            return new BigDecimal(s).compareTo(new BigDecimal(pk)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<Feature> copy(List<Feature> list) {
        List<Feature> out = new ArrayList<>();
        list.forEach(f -> out.add(f.copy()));
        return out;
    }
}
