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
 */
abstract class JdbcTableLayer implements FeatureLayer {

    protected final Connection connection;
    protected final String table;
    protected final String primaryKey;
    protected final Map<String, String> columnTypes;
    protected final String geometryColumn;

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

    @Override
    public List<Map<String, Object>> find(String pk) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT * FROM " + table + whereKey())) {
            s.setString(1, pk);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String column : columnTypes.keySet()) {
                        row.put(column, rs.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    @Override
    public void delete(String pk) throws Exception {
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
