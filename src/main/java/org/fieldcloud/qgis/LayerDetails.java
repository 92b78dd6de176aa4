package org.fieldcloud.qgis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a layer's {@code project_details} entry (reference-api-jobs §4.2) that follow from the project
 * file alone; the job adds validity and errors after opening the layer. Passwords in datasources are masked.
 */
public final class LayerDetails {

    private static final List<String> TYPES = List.of("vector", "raster", "plugin", "mesh", "vector-tile", "annotation",
            "point-cloud", "group", "tiled-scene");
    private static final List<String> BASE_WKB = List.of("Unknown", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
            "MultiPolygon", "GeometryCollection");

    private LayerDetails() { }

    public static Map<String, Object> of(QgisLayer layer) {
        boolean vector = layer.vector();
        String provider = layer.provider() == null ? "" : layer.provider();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", layer.id());
        out.put("name", layer.name());
        out.put("crs", layer.crs());
        int type = TYPES.indexOf(layer.type());
        out.put("type", type < 0 ? null : type);
        out.put("type_name", layer.type() == null || layer.type().isEmpty() ? null
                : Character.toUpperCase(layer.type().charAt(0)) + layer.type().substring(1));
        out.put("wkb_type", vector ? wkbType(layer.wkbType()) : null);
        out.put("wkb_type_name", vector && layer.wkbType() != null && !layer.wkbType().isEmpty() ? layer.wkbType() : null);
        Integer geomType = vector ? geometryType(layer.geometry()) : null;
        out.put("geom_type", geomType);
        out.put("geom_type_name", geomType == null ? null : List.of("Point", "Line", "Polygon", "Unknown", "Null").get(geomType));
        out.put("is_localized", layer.datasource() != null && layer.datasource().startsWith("localized:"));
        out.put("provider_name", provider);
        out.put("datasource", provider.equals("postgres") || provider.equals("spatialite")
                ? PostgresSource.masked(String.valueOf(layer.datasource())) : layer.datasource());
        out.put("qfs_action", layer.customProperties().get("QFieldSync/action"));
        out.put("qfs_cloud_action", layer.customProperties().get("QFieldSync/cloud_action"));
        out.put("qfs_is_geometry_locked", layer.customProperties().get("QFieldSync/is_geometry_locked"));
        out.put("qfs_photo_naming", layer.customProperties().get("QFieldSync/photo_naming"));
        out.put("qfs_unsupported_source_pk", layer.customProperties().get("QFieldSync/unsupported_source_pk"));
        out.put("qfc_source_data_pk_name", provider.equals("postgres") ? keyOf(layer) : vector ? "fid" : "");
        return out;
    }

    /** QGIS WKB type numbers: base 1–7, +1000 for Z, +2000 for M, +3000 for ZM; 100 for no geometry. */
    static Integer wkbType(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.equalsIgnoreCase("NoGeometry")) {
            return 100;
        }
        String base = name.replaceFirst("(ZM|Z|M)$", "");
        int index = BASE_WKB.indexOf(base);
        if (index < 0) {
            return 0;
        }
        String suffix = name.substring(base.length());
        return index + switch (suffix) {
            case "Z" -> 1000;
            case "M" -> 2000;
            case "ZM" -> 3000;
            default -> 0;
        };
    }

    private static Integer geometryType(String geometry) {
        if (geometry == null || geometry.isEmpty()) {
            return null;
        }
        return switch (geometry) {
            case "Point" -> 0;
            case "Line" -> 1;
            case "Polygon" -> 2;
            case "No geometry" -> 4;
            default -> 3;
        };
    }

    private static String keyOf(QgisLayer layer) {
        String key = PostgresSource.parse(String.valueOf(layer.datasource())).get("key");
        return key == null || key.contains(",") ? "" : key.replace("\"", "");
    }
}
