package org.fieldcloud.packaging;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mil.nga.geopackage.BoundingBox;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.attributes.AttributesColumn;
import mil.nga.geopackage.attributes.AttributesTableMetadata;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import mil.nga.sf.Geometry;
import mil.nga.sf.GeometryEnvelope;
import mil.nga.sf.GeometryType;

/**
 * The package's {@code data.gpkg}, written with the NGA GeoPackage library: one table per offline data source, an
 * integer {@code fid} primary key (renamed {@code fid_1}, … when the source has a field of that name, so the
 * source's own key stays an ordinary attribute that QField syncs back), a {@code geom} column with the layer's
 * geometry type and SRS, and the GeoPackage R-tree spatial index. Rows are inserted as batches in one transaction
 * per table, so memory does not grow with the number of features; each row's index entry is written with it from
 * the envelope already computed (loading the index afterwards through SQL functions costs a third of the export),
 * and the index's triggers are created at the end. The file is private to the job until it is stored, so SQLite
 * skips its journal and syncs while writing it.
 */
final class OfflineGeoPackage implements AutoCloseable {

    private static final int BATCH = 1_000;
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final GeoPackage gpkg;

    private OfflineGeoPackage(GeoPackage gpkg) {
        this.gpkg = gpkg;
    }

    static OfflineGeoPackage create(Path file) throws SQLException {
        File f = file.toFile();
        GeoPackageManager.create(f);
        GeoPackage gpkg = GeoPackageManager.open(f);
        try (java.sql.Statement s = gpkg.getConnection().getConnection().createStatement()) {
            s.execute("PRAGMA journal_mode = OFF");
            s.execute("PRAGMA synchronous = OFF");
        }
        return new OfflineGeoPackage(gpkg);
    }

    /** A field of a table to create: its name in the package and its GeoPackage type. */
    record Column(String name, GeoPackageDataType type) { }

    /** What a table looks like: geometry type null for a table without geometry. */
    record TableSpec(String name, String fidColumn, List<Column> columns, GeometryType geometryType, boolean hasZ, boolean hasM,
                     String crsAuthid, String description) { }

    /** Opens a table for writing; {@link Table#close()} commits the rows and builds the spatial index. */
    Table table(TableSpec spec) throws SQLException {
        List<String> names = new ArrayList<>();
        if (spec.geometryType() == null) {
            List<AttributesColumn> columns = new ArrayList<>();
            spec.columns().forEach(c -> columns.add(AttributesColumn.createColumn(c.name(), c.type())));
            AttributesTableMetadata meta = AttributesTableMetadata.create(spec.name());
            meta.setIdColumnName(spec.fidColumn());
            meta.setAdditionalColumns(columns);
            meta.setDescription(spec.description());
            gpkg.createAttributesTable(meta);
        } else {
            SpatialReferenceSystem srs = srs(spec.crsAuthid());
            GeometryColumns geometry = new GeometryColumns();
            geometry.setTableName(spec.name());
            geometry.setColumnName("geom");
            geometry.setGeometryType(spec.geometryType());
            geometry.setZ((byte) (spec.hasZ() ? 1 : 0));
            geometry.setM((byte) (spec.hasM() ? 1 : 0));
            geometry.setSrs(srs);
            List<FeatureColumn> columns = new ArrayList<>();
            spec.columns().forEach(c -> columns.add(FeatureColumn.createColumn(c.name(), c.type())));
            FeatureTableMetadata meta = new FeatureTableMetadata(geometry, spec.fidColumn(), columns, null);
            meta.setDescription(spec.description());
            new RTreeIndexExtension(gpkg).createRTreeIndex(gpkg.createFeatureTable(meta));
            names.add("geom");
        }
        names.add(spec.fidColumn());
        spec.columns().forEach(c -> names.add(c.name()));
        return new Table(spec, names);
    }

    /** The layer's CRS in the package: EPSG codes are taken from the library's definitions, anything else stays undefined. */
    private SpatialReferenceSystem srs(String authid) throws SQLException {
        if (authid != null && authid.toUpperCase(Locale.ROOT).startsWith("EPSG:")) {
            long code = Long.parseLong(authid.substring(5).trim());
            try {
                return gpkg.getSpatialReferenceSystemDao().getOrCreateCode("EPSG", code);
            } catch (RuntimeException unknownToTheLibrary) {
                SpatialReferenceSystem srs = new SpatialReferenceSystem();
                srs.setSrsName(authid);
                srs.setSrsId(code);
                srs.setOrganization("EPSG");
                srs.setOrganizationCoordsysId(code);
                srs.setDefinition("undefined");
                gpkg.getSpatialReferenceSystemDao().create(srs);
                return srs;
            }
        }
        return gpkg.getSpatialReferenceSystemDao().getOrCreateCode("NONE", -1);
    }

    /** Rows going into one table; values are bound by column order. */
    final class Table implements AutoCloseable {
        private final TableSpec spec;
        private final PreparedStatement insert;
        private final PreparedStatement index;
        private final Connection connection;
        private final long srsId;
        private int pending;
        private long rows;
        private double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        private double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;

        private Table(TableSpec spec, List<String> columns) throws SQLException {
            this.spec = spec;
            this.connection = gpkg.getConnection().getConnection();
            this.srsId = spec.geometryType() == null ? 0 : gpkg.getGeometryColumnsDao().queryForTableName(spec.name()).getSrsId();
            connection.setAutoCommit(false);
            this.insert = connection.prepareStatement("INSERT INTO " + quote(spec.name()) + " ("
                    + String.join(", ", columns.stream().map(OfflineGeoPackage::quote).toList()) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")");
            this.index = spec.geometryType() == null ? null
                    : connection.prepareStatement("INSERT INTO " + quote("rtree_" + spec.name() + "_geom") + " VALUES (?, ?, ?, ?, ?)");
        }

        /** Adds a row: {@code values} by the spec's column order, the geometry (already of the table's type) or null. */
        void add(List<Object> values, Geometry geometry) throws Exception {
            long fid = ++rows;
            int i = 1;
            if (spec.geometryType() != null) {
                if (geometry == null || geometry.isEmpty()) {
                    insert.setNull(i++, java.sql.Types.BLOB);
                } else {
                    GeoPackageGeometryData data = GeoPackageGeometryData.createBuildEnvelopeAndWrite(srsId, geometry);
                    insert.setBytes(i++, data.toBytes());
                    indexEntry(fid, data.getEnvelope());
                }
            }
            insert.setLong(i++, fid);
            for (int c = 0; c < values.size(); c++) {
                bind(insert, i++, values.get(c), spec.columns().get(c).type());
            }
            insert.addBatch();
            if (++pending == BATCH) {
                insert.executeBatch();
                if (index != null) {
                    index.executeBatch();
                }
                pending = 0;
            }
        }

        private void indexEntry(long fid, GeometryEnvelope e) throws SQLException {
            if (e == null) {
                return;
            }
            minX = Math.min(minX, e.getMinX());
            minY = Math.min(minY, e.getMinY());
            maxX = Math.max(maxX, e.getMaxX());
            maxY = Math.max(maxY, e.getMaxY());
            index.setLong(1, fid);
            index.setDouble(2, e.getMinX());
            index.setDouble(3, e.getMaxX());
            index.setDouble(4, e.getMinY());
            index.setDouble(5, e.getMaxY());
            index.addBatch();
        }

        long rows() {
            return rows;
        }

        /** Commits the rows and their index entries, records the extent, and adds the index's triggers and extension row. */
        @Override
        public void close() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                if (index != null) {
                    index.executeBatch();
                }
            }
            insert.close();
            if (index != null) {
                index.close();
            }
            if (spec.geometryType() != null && rows > 0 && minX <= maxX) {
                try (PreparedStatement s = connection.prepareStatement(
                        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?")) {
                    s.setDouble(1, minX);
                    s.setDouble(2, minY);
                    s.setDouble(3, maxX);
                    s.setDouble(4, maxY);
                    s.setString(5, spec.name());
                    s.executeUpdate();
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            if (spec.geometryType() != null) {
                RTreeIndexExtension rtree = new RTreeIndexExtension(gpkg);
                mil.nga.geopackage.features.user.FeatureTable table = gpkg.getFeatureDao(spec.name()).getTable();
                rtree.getOrCreate(table);
                rtree.createAllTriggers(table);
            }
        }
    }

    /** Binds a source value as the GeoPackage column type wants it: dates and times as ISO text, booleans as 0/1. */
    private static void bind(PreparedStatement s, int i, Object value, GeoPackageDataType type) throws SQLException {
        switch (value) {
            case null -> s.setNull(i, java.sql.Types.NULL);
            case Boolean b -> s.setInt(i, b ? 1 : 0);
            case Integer n -> s.setLong(i, n);
            case Long n -> s.setLong(i, n);
            case Short n -> s.setLong(i, n);
            case BigDecimal d when type == GeoPackageDataType.INTEGER -> s.setLong(i, d.longValue());
            case Number n -> s.setDouble(i, n.doubleValue());
            case byte[] bytes -> s.setBytes(i, bytes);
            case java.sql.Timestamp t -> s.setString(i, DATETIME.format(t.toLocalDateTime()));
            case java.sql.Date d -> s.setString(i, d.toLocalDate().toString());
            case LocalDate d -> s.setString(i, d.toString());
            case LocalDateTime t -> s.setString(i, DATETIME.format(t));
            case OffsetDateTime t -> s.setString(i, DATETIME.format(t.withOffsetSameInstant(ZoneOffset.UTC)));
            default -> s.setString(i, value.toString());
        }
    }

    /** The GeoPackage type for a field from the type its source declares; an empty declaration means "decide from values". */
    static GeoPackageDataType typeOf(String declared) {
        String t = declared == null ? "" : declared.toLowerCase(Locale.ROOT).replaceAll("\\(.*", "").trim();
        return switch (t) {
            case "integer", "int", "int2", "int4", "int8", "bigint", "smallint", "mediumint", "tinyint", "serial", "bigserial" -> GeoPackageDataType.INTEGER;
            case "real", "double", "double precision", "float", "float4", "float8", "numeric", "decimal" -> GeoPackageDataType.REAL;
            case "boolean", "bool" -> GeoPackageDataType.BOOLEAN;
            case "date" -> GeoPackageDataType.DATE;
            case "datetime", "timestamp", "timestamp without time zone", "timestamp with time zone", "timestamptz" -> GeoPackageDataType.DATETIME;
            case "blob", "bytea" -> GeoPackageDataType.BLOB;
            default -> GeoPackageDataType.TEXT;
        };
    }

    /** The type that holds every value seen for a field without a declared type (GeoJSON, CSV). */
    static GeoPackageDataType typeOfValues(GeoPackageDataType current, Object value) {
        GeoPackageDataType seen = switch (value) {
            case null -> current;
            case Boolean b -> GeoPackageDataType.BOOLEAN;
            case Integer n -> GeoPackageDataType.INTEGER;
            case Long n -> GeoPackageDataType.INTEGER;
            case BigDecimal d when d.stripTrailingZeros().scale() <= 0 -> GeoPackageDataType.INTEGER;
            case Number n -> GeoPackageDataType.REAL;
            default -> GeoPackageDataType.TEXT;
        };
        if (current == null || current == seen) {
            return seen;
        }
        boolean numbers = (current == GeoPackageDataType.INTEGER || current == GeoPackageDataType.REAL)
                && (seen == GeoPackageDataType.INTEGER || seen == GeoPackageDataType.REAL);
        return numbers ? GeoPackageDataType.REAL : GeoPackageDataType.TEXT;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Values of one row in column order, from a feature's attributes by source field name. */
    static List<Object> row(Map<String, Object> attributes, List<String> sourceFields) {
        List<Object> out = new ArrayList<>(sourceFields.size());
        for (String field : sourceFields) {
            out.add(attributes.get(field));
        }
        return out;
    }

    @Override
    public void close() {
        gpkg.close();
    }

    /** {@code wanted}, or {@code wanted_1}, {@code wanted_2}, … whichever is not yet in {@code taken} (compared without case). */
    static String unique(String wanted, Map<String, Boolean> taken) {
        String name = wanted;
        for (int i = 1; taken.containsKey(name.toLowerCase(Locale.ROOT)); i++) {
            name = wanted + "_" + i;
        }
        taken.put(name.toLowerCase(Locale.ROOT), true);
        return name;
    }
}
