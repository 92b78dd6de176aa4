package org.fieldcloud.deltas.apply;

import java.util.Map;
import mil.nga.sf.Geometry;

/** Receives the features of a layer one at a time ({@link FeatureLayer#scan}), so a reader never holds them all. */
@FunctionalInterface
public interface FeatureSink {

    /** Attribute values by field name (the layer's field order) and the geometry, null when the feature has none. */
    void accept(Map<String, Object> attributes, Geometry geometry) throws Exception;
}
