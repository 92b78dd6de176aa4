package org.fieldcloud.deltas.apply;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryEnvelope;
import mil.nga.sf.wkt.GeometryReader;
import org.sqlite.Function;

/**
 * A GeoPackage table edited over SQLite. Geometries are GeoPackage blobs (header with SRS id and envelope,
 * then ISO WKB). GDAL-made files keep their spatial index with triggers that call ST_IsEmpty / ST_MinX …,
 * functions SQLite lacks, so they are registered on the connection from the blob's envelope.
 */
public final class GeoPackageLayer extends JdbcTableLayer {

    private final long srsId;

    private GeoPackageLayer(Connection connection, String table, String primaryKey, Map<String, String> columnTypes,
                            String geometryColumn, long srsId) {
        super(connection, table, primaryKey, columnTypes, geometryColumn);
        this.srsId = srsId;
    }

    /** Opens the layer restricted to {@code subset}, the {@code |subset=} of its QGIS datasource (DECISIONS D10.7). */
    public static GeoPackageLayer open(Path file, String layerName, String subset) throws LayerException {
        GeoPackageLayer layer = open(file, layerName);
        layer.restrictTo(subset);
        return layer;
    }

    public static GeoPackageLayer open(Path file, String layerName) throws LayerException {
        if (!Files.isRegularFile(file)) {
            throw new LayerException("File \"" + file.getFileName() + "\" missing.");
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            registerSpatialFunctions(c);
            Map<String, String> types = new LinkedHashMap<>();
            List<String> pk = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, type, pk FROM pragma_table_info(?)")) {
                s.setString(1, layerName);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        types.put(rs.getString(1), rs.getString(2).toUpperCase());
                        if (rs.getInt(3) > 0) pk.add(rs.getString(1));
                    }
                }
            }
            if (types.isEmpty()) {
                throw new LayerException("The GeoPackage \"" + file.getFileName() + "\" has no layer \"" + layerName + "\".");
            }
            String geometry = null;
            long srs = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?")) {
                s.setString(1, layerName);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        geometry = rs.getString(1);
                        srs = rs.getLong(2);
                    }
                }
            }
            if (geometry != null) {
                types.remove(geometry);
            }
            String key = pk.size() == 1 ? pk.get(0) : types.keySet().stream().filter(n -> n.equalsIgnoreCase("fid")).findFirst()
                    .orElseThrow(() -> new NoPrimaryKeyException("The layer \"" + layerName + "\" neither has a primary key, nor an attribute `fid`!"));
            c.setAutoCommit(false);
            return new GeoPackageLayer(c, quoteIdentifier(layerName), key, types, geometry, srs);
        } catch (SQLException e) {
            close(c);
            throw new LayerException("Cannot open the GeoPackage \"" + file.getFileName() + "\" layer \"" + layerName + "\": " + e.getMessage());
        } catch (LayerException e) {
            close(c);
            throw e;
        }
    }

    private static void registerSpatialFunctions(Connection c) throws SQLException {
        Function.create(c, "ST_IsEmpty", envelopeFunction(e -> e == null ? 1 : 0));
        Function.create(c, "ST_MinX", envelopeFunction(e -> e == null ? null : e.getMinX()));
        Function.create(c, "ST_MaxX", envelopeFunction(e -> e == null ? null : e.getMaxX()));
        Function.create(c, "ST_MinY", envelopeFunction(e -> e == null ? null : e.getMinY()));
        Function.create(c, "ST_MaxY", envelopeFunction(e -> e == null ? null : e.getMaxY()));
    }

    private static Function envelopeFunction(java.util.function.Function<GeometryEnvelope, Number> value) {
        return new Function() {
            @Override
            protected void xFunc() throws SQLException {
                byte[] blob = value_blob(0);
                GeometryEnvelope envelope = null;
                if (blob != null) {
                    GeoPackageGeometryData data = GeoPackageGeometryData.create(blob);
                    envelope = data.isEmpty() ? null : data.getOrBuildEnvelope();
                }
                Number n = value.apply(envelope);
                if (n == null) {
                    result();
                } else if (n instanceof Integer i) {
                    result(i);
                } else {
                    result(n.doubleValue());
                }
            }
        };
    }

    @Override
    public String insert(Map<String, Object> attributes, String wkt) throws Exception {
        List<String> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        attributes.forEach((k, v) -> {
            columns.add(quoteIdentifier(k));
            values.add(v);
        });
        if (wkt != null) {
            columns.add(quoteIdentifier(geometryColumn));
            values.add(geometryBlob(wkt));
        }
        String sql = columns.isEmpty() ? "INSERT INTO " + table + " DEFAULT VALUES"
                : "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        try (PreparedStatement s = connection.prepareStatement(sql + " RETURNING " + quoteIdentifier(primaryKey))) {
            bind(s, new ArrayList<>(attributes.keySet()), values);
            String key;
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                key = rs.getString(1);
            }
            requireInSubset(key, "created by this delta would be");
            return key;
        }
    }

    @Override
    public void update(String pk, Map<String, Object> attributes, Geometry geometry) throws Exception {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        attributes.forEach((k, v) -> {
            sets.add(quoteIdentifier(k) + " = ?");
            values.add(v);
        });
        if (geometry != null) {
            sets.add(quoteIdentifier(geometryColumn) + " = ?");
            values.add(geometry.wkt() == null ? null : geometryBlob(geometry.wkt()));
        }
        values.add(pk);
        requireInSubset(pk, "is");
        try (PreparedStatement s = connection.prepareStatement("UPDATE " + table + " SET " + String.join(", ", sets) + whereKey())) {
            bind(s, new ArrayList<>(attributes.keySet()), values);
            s.executeUpdate();
        }
        requireInSubset(pk, "would be moved by this patch");
    }

    @Override
    protected String geometryRead(String quotedColumn) {
        return quotedColumn;
    }

    @Override
    protected mil.nga.sf.Geometry geometryOf(byte[] value) {
        return value == null ? null : GeoPackageGeometryData.create(value).getGeometry();
    }

    @Override
    protected String keyParameter() {
        return "?";
    }

    private byte[] geometryBlob(String wkt) throws IOException {
        return GeoPackageGeometryData.createBuildEnvelopeAndWrite(srsId, GeometryReader.readGeometry(wkt)).toBytes();
    }

    /** Binds by the column's declared type: numbers as numbers where the column is numeric, else as given. */
    private void bind(PreparedStatement s, List<String> names, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            String type = i < names.size() ? columnTypes.getOrDefault(names.get(i), "") : "";
            if (v == null) {
                s.setObject(i + 1, null);
            } else if (v instanceof byte[] b) {
                s.setBytes(i + 1, b);
            } else if (v instanceof BigDecimal d) {
                if (type.contains("INT") && d.stripTrailingZeros().scale() <= 0) {
                    s.setLong(i + 1, d.longValueExact());
                } else {
                    s.setDouble(i + 1, d.doubleValue());
                }
            } else if (v instanceof Boolean b) {
                s.setInt(i + 1, b ? 1 : 0);
            } else {
                s.setString(i + 1, v.toString());
            }
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // opening failed already; that error is reported
            }
        }
    }
}
