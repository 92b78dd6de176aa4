package org.fieldcloud.deltas.apply;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.util.PSQLException;

/**
 * A PostgreSQL/PostGIS table edited over JDBC. With an effective role ({@code QFC_PG_EFFECTIVE_USER}) the
 * connection runs {@code SET ROLE} right after connecting, before any other query, and checks
 * {@code current_user}; superuser logins are refused for that, since a superuser is never restricted by
 * the role it switches to. No client text reaches SQL except as bound parameters or quoted identifiers
 * read from the catalogs; values are bound as text and cast to each column's catalog type.
 */
public final class PostgisLayer extends JdbcTableLayer {

    private final int srid;
    private final String forceDimension;

    private PostgisLayer(Connection connection, String table, String primaryKey, Map<String, String> columnTypes,
                         String geometryColumn, int srid, String forceDimension) {
        super(connection, table, primaryKey, columnTypes, geometryColumn);
        this.srid = srid;
        this.forceDimension = forceDimension;
    }

    public static PostgisLayer open(PgConnectionSpec spec, String schema, String table, String geometryColumn, String keyColumn,
                                    String effectiveRole) throws LayerException {
        return open(spec, schema, table, geometryColumn, keyColumn, null, effectiveRole);
    }

    /**
     * Opens the table, restricted to {@code subset} (the layer's QGIS {@code sql=}, applied after SET ROLE). A refused
     * host throws {@link ConnectionRefusedException} before anything is sent; a failed SET ROLE throws
     * {@link JobMustFailException}.
     */
    public static PostgisLayer open(PgConnectionSpec spec, String schema, String table, String geometryColumn, String keyColumn,
                                    String subset, String effectiveRole) throws LayerException {
        String where = "table \"" + schema + "\".\"" + table + "\" on " + spec.host() + ":" + spec.port() + "/" + spec.dbname();
        Connection c;
        try {
            c = connect(spec);
        } catch (SQLException e) {
            throw new LayerException("Cannot connect to PostgreSQL for " + where + " as " + spec.user() + ": " + connectError(e));
        }
        try {
            if (effectiveRole != null && !effectiveRole.isBlank()) {
                switchRole(c, effectiveRole);
            }
            c.setAutoCommit(false);
            PostgisLayer layer = describe(c, schema, table, geometryColumn, keyColumn, where);
            layer.restrictTo(subset);
            return layer;
        } catch (LayerException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new LayerException("Cannot read " + where + ": " + DataSourceErrors.describe(e));
        }
    }

    /**
     * Connects to the address the host policy approves — checked here again even when the caller already checked
     * it, so no connection skips the policy — over the host name in the URL (for TLS name checks).
     */
    static Connection connect(PgConnectionSpec spec) throws SQLException, ConnectionRefusedException {
        DatasourceHostPolicy policy = spec.policy();
        InetAddress address;
        try {
            address = spec.address() != null ? spec.address() : policy.check(spec.host(), spec.port());
            policy.checkAddress(spec.host(), address, spec.port());
        } catch (DatasourceHostPolicy.Refusal r) {
            throw new ConnectionRefusedException("The connection to PostgreSQL is refused: " + r.getMessage() + ".");
        }
        Properties p = new Properties();
        p.setProperty("user", spec.user() == null ? "" : spec.user());
        if (spec.password() != null) {
            p.setProperty("password", spec.password());
        }
        p.setProperty("sslmode", spec.sslmode() == null ? "prefer" : spec.sslmode());
        p.setProperty("ApplicationName", "fieldcloud-job");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketFactory", PinnedSocketFactory.class.getName());
        p.setProperty("socketFactoryArg", address.getHostAddress());
        String host = spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host();
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + spec.port() + "/"
                + URLEncoder.encode(spec.dbname(), StandardCharsets.UTF_8), p);
    }

    /** What the server said (e.g. a failed password); otherwise only the kind of failure, not the driver's text. */
    private static String connectError(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            return DataSourceErrors.describe(e);
        }
        return switch (String.valueOf(e.getSQLState())) {
            case "08001" -> "the server could not be reached (connection refused, timed out, or TLS could not be set up)";
            case "08004" -> "the server rejected the connection";
            default -> "the connection failed (SQLSTATE " + e.getSQLState() + ")";
        };
    }

    /**
     * SET ROLE in autocommit mode, so that no later rollback can undo it; then verify who we are. Any failure fails
     * the whole job (D4): going on would edit as the service login. Messages name QFC_PG_EFFECTIVE_USER, never the
     * role or the login (secret values).
     */
    private static void switchRole(Connection c, String role) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
             ResultSet rs = s.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
                throw new JobMustFailException("Refusing QFC_PG_EFFECTIVE_USER with a superuser login: a superuser is not restricted by the"
                        + " role it switches to; use a non-superuser login role. The job stops without applying anything more.");
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET ROLE " + quoteIdentifier(role));
        } catch (SQLException e) {
            throw new JobMustFailException("Cannot SET ROLE to the role named by QFC_PG_EFFECTIVE_USER (SQLSTATE " + e.getSQLState()
                    + "): the role does not exist, or the login role is not a member of it. Grant the role to the login role."
                    + " The job stops so that no edit runs as the login role.");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            if (!role.equals(rs.getString(1))) {
                throw new JobMustFailException("After SET ROLE the session does not run as the role named by QFC_PG_EFFECTIVE_USER;"
                        + " the job stops so that no edit runs as another role.");
            }
        }
    }

    private static PostgisLayer describe(Connection c, String schema, String table, String geometryColumn, String keyColumn,
                                         String where) throws SQLException, LayerException {
        Map<String, String> types = new LinkedHashMap<>();
        List<String> pkColumns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
                  FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
                  JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE n.nspname = ? AND cl.relname = ? ORDER BY a.attnum""")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                    if (rs.getBoolean(3)) pkColumns.add(rs.getString(1));
                }
            }
        }
        if (types.isEmpty()) {
            throw new LayerException("No " + where + " (or the role may not see it).");
        }
        String pk = primaryKey(keyColumn, pkColumns, types, where);
        String geometry = geometryColumn != null && types.containsKey(geometryColumn) ? geometryColumn
                : types.entrySet().stream().filter(e -> e.getValue().startsWith("geometry")).map(Map.Entry::getKey).findFirst().orElse(null);
        int srid = 0;
        String force = "ST_Force2D";
        if (geometry != null) {
            try (PreparedStatement s = c.prepareStatement("SELECT srid, coord_dimension, type FROM geometry_columns "
                    + "WHERE f_table_schema = ? AND f_table_name = ? AND f_geometry_column = ?")) {
                s.setString(1, schema);
                s.setString(2, table);
                s.setString(3, geometry);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        srid = rs.getInt(1);
                        int dims = rs.getInt(2);
                        force = dims == 4 ? "ST_Force4D" : dims == 3 ? (rs.getString(3).endsWith("M") ? "ST_Force3DM" : "ST_Force3DZ") : "ST_Force2D";
                    } else {
                        force = null;
                    }
                }
            }
            types.remove(geometry);
        }
        c.commit();
        return new PostgisLayer(c, quoteIdentifier(schema) + "." + quoteIdentifier(table), pk, types, geometry, srid, force);
    }

    private static String primaryKey(String keyColumn, List<String> pkColumns, Map<String, String> types, String where) throws LayerException {
        if (keyColumn != null && !keyColumn.isBlank()) {
            String key = keyColumn.replace("\"", "");
            if (key.contains(",")) {
                throw new LayerException("Composite (multi-column) primary keys are not supported! (" + where + ")");
            }
            if (!types.containsKey(key)) {
                throw new LayerException("The key column '" + key + "' of " + where + " does not exist.");
            }
            return key;
        }
        if (pkColumns.size() > 1) {
            throw new LayerException("Composite (multi-column) primary keys are not supported! (" + where + ")");
        }
        if (pkColumns.size() == 1) {
            return pkColumns.get(0);
        }
        return types.keySet().stream().filter(n -> n.equalsIgnoreCase("fid")).findFirst()
                .orElseThrow(() -> new NoPrimaryKeyException("The " + where + " neither has a primary key, nor an attribute `fid`!"));
    }

    private record InsertSql(String sql, List<Object> params) { }

    private InsertSql insertSql(Map<String, Object> attributes, String wkt) {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        attributes.forEach((name, value) -> {
            columns.add(quoteIdentifier(name));
            values.add("CAST(? AS " + columnTypes.get(name) + ")");
            params.add(value);
        });
        if (wkt != null) {
            columns.add(quoteIdentifier(geometryColumn));
            values.add(geometryExpression());
            params.add(wkt);
        }
        String sql = columns.isEmpty()
                ? "INSERT INTO " + table + " DEFAULT VALUES"
                : "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", values) + ")";
        return new InsertSql(sql, params);
    }

    @Override
    public String insert(Map<String, Object> attributes, String wkt) throws SQLException, DeltaFailure {
        InsertSql insert = insertSql(attributes, wkt);
        String key;
        try (PreparedStatement s = connection.prepareStatement(insert.sql() + " RETURNING CAST(" + quoteIdentifier(primaryKey) + " AS text)")) {
            bind(s, insert.params());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                key = rs.getString(1);
            }
        }
        requireInSubset(key, "created by this delta would be");
        return key;
    }

    /** Queued inserts by statement text, each with the slots whose keys it will return, in order. */
    private final Map<String, PreparedStatement> queued = new LinkedHashMap<>();
    private final Map<String, List<Integer>> queuedSlots = new LinkedHashMap<>();
    private int nextSlot;

    @Override
    public boolean queuesInserts() {
        return true;
    }

    @Override
    public int queueInsert(Map<String, Object> attributes, String wkt) throws SQLException {
        InsertSql insert = insertSql(attributes, wkt);
        PreparedStatement s = queued.get(insert.sql());
        if (s == null) {
            s = connection.prepareStatement(insert.sql(), new String[] {primaryKey});
            queued.put(insert.sql(), s);
        }
        bind(s, insert.params());
        s.addBatch();
        int slot = nextSlot++;
        queuedSlots.computeIfAbsent(insert.sql(), k -> new ArrayList<>()).add(slot);
        return slot;
    }

    /** Sends the queued inserts as JDBC batches (one round trip per batch) and returns each slot's new key. */
    @Override
    public Map<Integer, String> flushInserts() throws SQLException, DeltaFailure {
        Map<Integer, String> keys = new java.util.HashMap<>();
        try {
            for (Map.Entry<String, PreparedStatement> entry : queued.entrySet()) {
                PreparedStatement s = entry.getValue();
                s.executeBatch();
                try (ResultSet rs = s.getGeneratedKeys()) {
                    for (int slot : queuedSlots.get(entry.getKey())) {
                        rs.next();
                        keys.put(slot, rs.getString(1));
                    }
                }
            }
            for (String key : keys.values()) {
                requireInSubset(key, "created by this batch would be");
            }
            return keys;
        } finally {
            discardQueued();
        }
    }

    private void discardQueued() throws SQLException {
        for (PreparedStatement s : queued.values()) {
            s.close();
        }
        queued.clear();
        queuedSlots.clear();
    }

    @Override
    public void rollback() throws SQLException {
        discardQueued();
        super.rollback();
    }

    @Override
    public void update(String pk, Map<String, Object> attributes, Geometry geometry) throws Exception {
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        attributes.forEach((name, value) -> {
            sets.add(quoteIdentifier(name) + " = CAST(? AS " + columnTypes.get(name) + ")");
            params.add(value);
        });
        if (geometry != null) {
            if (geometry.wkt() == null) {
                sets.add(quoteIdentifier(geometryColumn) + " = NULL");
            } else {
                sets.add(quoteIdentifier(geometryColumn) + " = " + geometryExpression());
                params.add(geometry.wkt());
            }
        }
        params.add(pk);
        requireInSubset(pk, "is");
        try (PreparedStatement s = connection.prepareStatement("UPDATE " + table + " SET " + String.join(", ", sets) + whereKey())) {
            bind(s, params);
            if (s.executeUpdate() != 1) {
                throw new DeltaFailure("The feature " + primaryKey + " = " + pk + " could not be updated (a row-level security policy may hide it).");
            }
        }
        requireInSubset(pk, "would be moved by this patch");
    }

    /** ISO WKB: Z and M kept, read without the SRID (the layer's CRS says it). */
    @Override
    protected String geometryRead(String quotedColumn) {
        return "ST_AsBinary(" + quotedColumn + ")";
    }

    @Override
    protected mil.nga.sf.Geometry geometryOf(byte[] value) throws java.io.IOException {
        return value == null ? null : mil.nga.sf.wkb.GeometryReader.readGeometry(value);
    }

    @Override
    protected String keyParameter() {
        return "CAST(? AS " + columnTypes.get(primaryKey) + ")";
    }

    private String geometryExpression() {
        String parsed = "ST_GeomFromText(?, " + srid + ")";
        return forceDimension == null ? parsed : forceDimension + "(" + parsed + ")";
    }

    private static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v == null) {
                s.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                s.setString(i + 1, v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the open already failed; that error is the one reported
        }
    }
}
