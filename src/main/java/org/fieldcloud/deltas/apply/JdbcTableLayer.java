package org.fieldcloud.deltas.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer that is one table behind a JDBC connection (PostGIS, GeoPackage): finding, deleting and the
 * transaction calls are the same SQL for both; subclasses say how a key value is compared and how rows are
 * written. Identifiers come from the database's catalog and are always quoted.
 *
 * <p>A QGIS subset string ({@code sql=} / {@code |subset=}) bounds what deltas may touch (DECISIONS D10.7): a feature
 * outside it is not found, not updated or deleted, and a create or patch whose result falls outside it fails (the
 * caller rolls the delta back). The subset is the project's own SQL; it only ever runs as the parenthesised WHERE
 * clause of a read-only sub-select, on the layer's connection (so under the job's database role), as a single
 * prepared statement — never inside an INSERT, UPDATE or DELETE.
 */
abstract class JdbcTableLayer implements FeatureLayer {

    protected final Connection connection;
    protected final String table;
    protected final String primaryKey;
    protected final Map<String, String> columnTypes;
    protected final String geometryColumn;
    private String subset;

    JdbcTableLayer(Connection connection, String table, String primaryKey, Map<String, String> columnTypes, String geometryColumn) {
        this.connection = connection;
        this.table = table;
        this.primaryKey = primaryKey;
        this.columnTypes = columnTypes;
        this.geometryColumn = geometryColumn;
    }

    /** The SQL that a bound key value is compared with, e.g. {@code ?} or {@code CAST(? AS integer)}. */
    protected abstract String keyParameter();

    protected String whereKey() {
        return " WHERE " + quoteIdentifier(primaryKey) + " = " + keyParameter();
    }

    @Override
    public String primaryKey() {
        return primaryKey;
    }

    @Override
    public Set<String> fields() {
        return columnTypes.keySet();
    }

    @Override
    public boolean spatial() {
        return geometryColumn != null;
    }

    /** Restricts the layer to the features its QGIS subset string selects; blank means no restriction. */
    void restrictTo(String subsetSql) {
        this.subset = subsetSql == null || subsetSql.isBlank() ? null : subsetSql;
    }

    /** The rows deltas may touch: the table, or the sub-select of the subset's rows. */
    private String rows() {
        return subset == null ? table : "(SELECT * FROM " + table + " WHERE (" + subset + "\n)) AS subset_rows";
    }

    /** Fails the delta unless the feature is one the layer's subset selects; a no-op without a subset. */
    protected void requireInSubset(String pk, String action) throws SQLException, DeltaFailure {
        if (subset == null) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM " + rows() + whereKey())) {
            s.setString(1, pk);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new DeltaFailure("The feature " + primaryKey + " = " + pk + " " + action
                            + " outside the layer's subset string (its QGIS sql= filter); deltas may only touch features inside it.");
                }
            }
        }
    }

    /** Rows per round trip when scanning: big enough to stream fast, small enough to keep memory flat. */
    private static final int SCAN_FETCH_SIZE = 2_000;

    /** The SELECT expression that reads the geometry column for {@link #scan}. */
    protected abstract String geometryRead(String quotedColumn);

    /** The geometry read by {@link #geometryRead}, as a geometry object; null for none or empty. */
    protected abstract mil.nga.sf.Geometry geometryOf(byte[] value) throws Exception;

    @Override
    public Map<String, String> declaredTypes() {
        return columnTypes;
    }

    @Override
    public void scan(FeatureSink sink) throws Exception {
        List<String> columns = new ArrayList<>(columnTypes.keySet());
        List<String> select = new ArrayList<>(columns.stream().map(JdbcTableLayer::quoteIdentifier).toList());
        if (geometryColumn != null) {
            select.add(geometryRead(quoteIdentifier(geometryColumn)));
        }
        String sql = "SELECT " + (select.isEmpty() ? "1" : String.join(", ", select)) + " FROM " + rows();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setFetchSize(SCAN_FETCH_SIZE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), rs.getObject(i + 1));
                    }
                    sink.accept(row, geometryColumn == null ? null : geometryOf(rs.getBytes(columns.size() + 1)));
                }
            }
        }
        connection.commit();
    }

    @Override
    public List<Map<String, Object>> find(String pk) throws SQLException, DeltaFailure {
        try (PreparedStatement s = connection.prepareStatement("SELECT * FROM " + rows() + whereKey())) {
            s.setString(1, pk);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(attributesOf(rs));
                }
            }
            if (rows.isEmpty() && subset != null) {
                // Same words whether the feature exists outside the filter or not at all: no oracle on hidden rows.
                throw new DeltaFailure("Unable to find feature with " + primaryKey + " = " + pk + " inside the layer's subset string (its QGIS"
                        + " sql= filter): it does not exist, the database role may not see it, or the filter excludes it.");
            }
            return rows;
        }
    }

    /** The attribute values of the result set's current row, as {@link #find} returns them. */
    protected Map<String, Object> attributesOf(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : columnTypes.keySet()) {
            row.put(column, rs.getObject(column));
        }
        return row;
    }

    protected boolean hasSubset() {
        return subset != null;
    }

    @Override
    public void delete(String pk) throws Exception {
        requireInSubset(pk, "is");
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM " + table + whereKey())) {
            s.setString(1, pk);
            if (s.executeUpdate() != 1) {
                throw new DeltaFailure("The feature " + primaryKey + " = " + pk + " could not be deleted (a row-level security policy may hide it).");
            }
        }
    }

    @Override
    public void commit() throws SQLException {
        connection.commit();
    }

    @Override
    public void rollback() throws SQLException {
        connection.rollback();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
