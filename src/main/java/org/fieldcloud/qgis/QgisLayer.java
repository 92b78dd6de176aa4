package org.fieldcloud.qgis;

import java.util.Map;

/** One {@code maplayer} of a QGIS project: the id deltas refer to, its provider and datasource string. */
public record QgisLayer(String id, String name, String type, String provider, String datasource, String geometry,
                        String wkbType, String crs, Map<String, String> customProperties) {

    public boolean vector() {
        return "vector".equals(type);
    }
}
