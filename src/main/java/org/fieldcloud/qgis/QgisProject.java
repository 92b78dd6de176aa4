package org.fieldcloud.qgis;

import java.util.List;
import java.util.Optional;

/** What FieldCloud reads from a QGIS project file; {@code directory} is where relative datasource paths start. */
public record QgisProject(String qgisVersion, String title, String crs, List<QgisLayer> layers, List<String> attachmentDirs) {

    public Optional<QgisLayer> layer(String id) {
        return layers.stream().filter(l -> l.id().equals(id)).findFirst();
    }
}
