package org.fieldcloud.deltas.apply;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.io.WKTWriter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A GeoJSON FeatureCollection layer; members other than the features (name, crs) are kept as they are.
 * Features are addressed by their {@code fid} property.
 */
public final class GeoJsonLayer extends InMemoryLayer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GeometryFactory FACTORY = new GeometryFactory();
    private final Path file;
    private final ObjectNode collection;

    private GeoJsonLayer(Path file, ObjectNode collection, Set<String> fields, List<Feature> features) throws LayerException {
        super(fields, features);
        this.file = file;
        this.collection = collection;
    }

    public static GeoJsonLayer open(Path file) throws LayerException {
        if (!Files.isRegularFile(file)) {
            throw new LayerException("File \"" + file.getFileName() + "\" missing.");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!(root instanceof ObjectNode collection) || !collection.path("features").isArray()) {
                throw new LayerException("\"" + file.getFileName() + "\" is not a GeoJSON FeatureCollection.");
            }
            Set<String> fields = new LinkedHashSet<>();
            List<Feature> features = new ArrayList<>();
            for (JsonNode f : collection.get("features")) {
                LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();
                for (var p : f.path("properties").properties()) {
                    fields.add(p.getKey());
                    attributes.put(p.getKey(), Values.plain(p.getValue()));
                }
                features.add(new Feature(attributes, f.path("geometry").isObject() ? toWkt(f.get("geometry")) : null));
            }
            return new GeoJsonLayer(file, collection, fields, features);
        } catch (RuntimeException e) {
            throw new LayerException("Cannot read the GeoJSON file \"" + file.getFileName() + "\": " + e.getMessage());
        }
    }

    @Override
    public boolean spatial() {
        return true;
    }

    @Override
    protected void write(List<Feature> features) throws IOException, ParseException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Feature f : features) {
            ObjectNode feature = array.addObject();
            feature.put("type", "Feature");
            ObjectNode properties = feature.putObject("properties");
            f.attributes.forEach((k, v) -> properties.set(k, JSON.valueToTree(v instanceof BigDecimal d ? number(d) : v)));
            feature.set("geometry", f.wkt == null ? JsonNodeFactory.instance.nullNode() : toGeoJson(new WKTReader().read(f.wkt)));
        }
        collection.set("features", array);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), collection);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Object number(BigDecimal d) {
        return d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValue() : d.doubleValue();
    }

    static JsonNode toGeoJson(org.locationtech.jts.geom.Geometry g) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", g.getGeometryType());
        if (g instanceof Point p) {
            out.set("coordinates", position(p.getCoordinate()));
        } else if (g instanceof LineString l) {
            out.set("coordinates", positions(l.getCoordinates()));
        } else if (g instanceof Polygon p) {
            out.set("coordinates", rings(p));
        } else {
            ArrayNode parts = out.putArray(g.getGeometryType().equals("GeometryCollection") ? "geometries" : "coordinates");
            for (int i = 0; i < g.getNumGeometries(); i++) {
                JsonNode part = toGeoJson(g.getGeometryN(i));
                parts.add(g.getGeometryType().equals("GeometryCollection") ? part : part.get("coordinates"));
            }
        }
        return out;
    }

    private static ArrayNode rings(Polygon p) {
        ArrayNode rings = JsonNodeFactory.instance.arrayNode();
        rings.add(positions(p.getExteriorRing().getCoordinates()));
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            rings.add(positions(p.getInteriorRingN(i).getCoordinates()));
        }
        return rings;
    }

    private static ArrayNode positions(Coordinate[] coordinates) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Coordinate c : coordinates) {
            out.add(position(c));
        }
        return out;
    }

    private static ArrayNode position(Coordinate c) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode().add(c.getX()).add(c.getY());
        if (!Double.isNaN(c.getZ())) {
            out.add(c.getZ());
        }
        return out;
    }

    static String toWkt(JsonNode g) {
        return new WKTWriter(3).write(fromGeoJson(g));
    }

    private static org.locationtech.jts.geom.Geometry fromGeoJson(JsonNode g) {
        JsonNode c = g.get("coordinates");
        return switch (g.path("type").asString("")) {
            case "Point" -> FACTORY.createPoint(coordinate(c));
            case "LineString" -> FACTORY.createLineString(coordinates(c));
            case "Polygon" -> polygon(c);
            case "MultiPoint" -> FACTORY.createMultiPointFromCoords(coordinates(c));
            case "MultiLineString" -> {
                LineString[] lines = new LineString[c.size()];
                for (int i = 0; i < c.size(); i++) lines[i] = FACTORY.createLineString(coordinates(c.get(i)));
                yield FACTORY.createMultiLineString(lines);
            }
            case "MultiPolygon" -> {
                Polygon[] polygons = new Polygon[c.size()];
                for (int i = 0; i < c.size(); i++) polygons[i] = polygon(c.get(i));
                yield FACTORY.createMultiPolygon(polygons);
            }
            default -> throw new IllegalArgumentException("unsupported GeoJSON geometry type " + g.path("type"));
        };
    }

    private static Polygon polygon(JsonNode rings) {
        LinearRing shell = FACTORY.createLinearRing(coordinates(rings.get(0)));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) holes[i - 1] = FACTORY.createLinearRing(coordinates(rings.get(i)));
        return FACTORY.createPolygon(shell, holes);
    }

    private static Coordinate[] coordinates(JsonNode list) {
        Coordinate[] out = new Coordinate[list.size()];
        for (int i = 0; i < list.size(); i++) out[i] = coordinate(list.get(i));
        return out;
    }

    private static Coordinate coordinate(JsonNode p) {
        return p.size() > 2 ? new Coordinate(p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble())
                : new Coordinate(p.get(0).asDouble(), p.get(1).asDouble());
    }
}
