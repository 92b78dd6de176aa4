package org.fieldcloud.qgis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The datasource syntaxes of QGIS providers other than {@code postgres} ({@link PostgresSource}) and {@code ogr}
 * ({@link OgrSource}): {@code spatialite} (QgsDataSourceUri like postgres), {@code memory} and {@code virtual}
 * (URL query strings), {@code delimitedtext} (a file URL with a query) and raster tile/WMS sources
 * ({@code key=value&…}).
 */
public final class Datasources {

    private Datasources() { }

    /** {@code memory?geometry=Point&crs=EPSG:4326&field=name:string(255,0)&field=size:integer(10,0)}. */
    public record MemorySource(String geometry, String crs, List<String> fields) { }

    /** {@code dbname='./db.sqlite' table="t" (geom) sql=}. */
    public record SpatialiteSource(String dbname, String table, String geometryColumn) { }

    /** A virtual layer: its SQL and the layers it embeds as (provider, source, name). */
    public record VirtualSource(String query, List<EmbeddedLayer> layers) {
        public boolean embedsLayers() {
            return !layers.isEmpty();
        }
    }

    public record EmbeddedLayer(String provider, String source, String name) { }

    /** Raster sources ({@code type=xyz&url=…}, WMS parameters) and delimited text: parameters by name. */
    public record KeyValueSource(String path, Map<String, List<String>> parameters) {
        public String first(String key) {
            List<String> values = parameters.get(key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public static MemorySource memory(String datasource) {
        KeyValueSource kv = query(datasource);
        return new MemorySource(kv.first("geometry") != null ? kv.first("geometry") : kv.path().replaceFirst("^memory\\??", ""),
                kv.first("crs"), kv.parameters().getOrDefault("field", List.of()));
    }

    public static SpatialiteSource spatialite(String datasource) {
        PostgresSource parsed = PostgresSource.parse(datasource);
        return new SpatialiteSource(parsed.get("dbname"), parsed.table(), parsed.geometryColumn());
    }

    /** {@code ?query=<urlenc SQL>&layer=<provider>:<urlenc source>:<name>:<encoding>…}. */
    public static VirtualSource virtual(String datasource) {
        KeyValueSource kv = query(datasource);
        List<EmbeddedLayer> layers = new ArrayList<>();
        for (String layer : kv.parameters().getOrDefault("layer", List.of())) {
            String[] parts = layer.split(":", -1);
            if (parts.length >= 3) {
                layers.add(new EmbeddedLayer(parts[0], decode(parts[1]), parts[2]));
            }
        }
        return new VirtualSource(kv.first("query"), List.copyOf(layers));
    }

    /** Raster (xyz, WMS) and delimited-text sources: {@code [path?]key=value&key=value}. */
    public static KeyValueSource query(String datasource) {
        String text = datasource.replace("&amp;", "&");
        int question = text.indexOf('?');
        String head = question < 0 ? text : text.substring(0, question);
        boolean hasPath = question >= 0 && !head.contains("=");
        String path = hasPath ? head : "";
        String query = hasPath ? text.substring(question + 1) : text;
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return new KeyValueSource(path, parameters);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
