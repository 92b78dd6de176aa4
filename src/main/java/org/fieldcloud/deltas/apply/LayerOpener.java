package org.fieldcloud.deltas.apply;

/** Opens the data behind one QGIS layer id; the caller resolves the layer from the project and the job's secrets. */
public interface LayerOpener {
    FeatureLayer open(String layerId) throws LayerException;
}
