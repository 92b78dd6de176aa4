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
            values.add(geometryExpression("?"));
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
        try (PreparedStatement s = connection.prepareStatement(insert.sql() + returningKey())) {
            bind(s, insert.params());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                key = rs.getString(1);
            }
        }
        requireInSubset(key, "created by this delta would be");
        return key;
    }

    private String returningKey() {
        return " RETURNING CAST(" + quoteIdentifier(primaryKey) + " AS text)";
    }

    /**
     * Queued inserts that set the same columns (the geometry last, if any), each row's values as text, with the
     * slots whose keys the rows will return.
     */
    private record InsertShape(List<String> columns, boolean geometry) { }

    private final Map<InsertShape, List<List<String>>> queuedRows = new LinkedHashMap<>();
    private final Map<InsertShape, List<Integer>> queuedSlots = new LinkedHashMap<>();
    private int nextSlot;

    @Override
    public boolean queuesInserts() {
        return true;
    }

    @Override
    public int queueInsert(Map<String, Object> attributes, String wkt) {
        InsertShape shape = new InsertShape(List.copyOf(attributes.keySet()), wkt != null);
        List<String> row = new ArrayList<>();
        attributes.values().forEach(v -> row.add(text(v)));
        if (wkt != null) {
            row.add(wkt);
        }
        queuedRows.computeIfAbsent(shape, k -> new ArrayList<>()).add(row);
        int slot = nextSlot++;
        queuedSlots.computeIfAbsent(shape, k -> new ArrayList<>()).add(slot);
        return slot;
    }

    /**
     * Sends each shape's queued rows as one {@code INSERT … SELECT … FROM unnest(…) WITH ORDINALITY ORDER BY} and
     * returns each slot's new key. PostgreSQL emits RETURNING rows in the order the SELECT feeds them, which is what
     * maps keys to slots (the same reliance as Django's bulk_create); a count that differs (a BEFORE trigger that
     * skipped a row) fails the flush, and the caller then applies the batch one delta at a time.
     */
    @Override
    public Map<Integer, String> flushInserts() throws SQLException, DeltaFailure {
        Map<Integer, String> keys = new java.util.HashMap<>();
        try {
            for (Map.Entry<InsertShape, List<List<String>>> entry : queuedRows.entrySet()) {
                List<Integer> slots = queuedSlots.get(entry.getKey());
                List<String> stored = insertAll(entry.getKey(), entry.getValue());
                if (stored.size() != slots.size()) {
                    throw new DeltaFailure(slots.size() + " features were sent to " + table + " but " + stored.size() + " were stored.");
                }
                for (int i = 0; i < slots.size(); i++) {
                    keys.put(slots.get(i), stored.get(i));
                }
            }
            for (String key : keys.values()) {
                requireInSubset(key, "created by this batch would be");
            }
            return keys;
        } finally {
            queuedRows.clear();
            queuedSlots.clear();
        }
    }

    private List<String> insertAll(InsertShape shape, List<List<String>> rows) throws SQLException {
        List<String> keys = new ArrayList<>(rows.size());
        if (shape.columns().isEmpty() && !shape.geometry()) {
            for (int i = 0; i < rows.size(); i++) {
                try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + table + " DEFAULT VALUES" + returningKey());
                     ResultSet rs = s.executeQuery()) {
                    rs.next();
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shape.columns().size(); i++) {
            String name = shape.columns().get(i);
            columns.add(quoteIdentifier(name));
            values.add("CAST(u.v" + i + " AS " + columnTypes.get(name) + ")");
        }
        if (shape.geometry()) {
            columns.add(quoteIdentifier(geometryColumn));
            values.add(geometryExpression("u.v" + shape.columns().size()));
        }
        for (int i = 0; i < columns.size(); i++) {
            arrays.add("CAST(? AS text[])");
            names.add("v" + i);
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
                + " FROM unnest(" + String.join(", ", arrays) + ") WITH ORDINALITY AS u(" + String.join(", ", names) + ", n) ORDER BY u.n"
                + returningKey();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int column = 0; column < columns.size(); column++) {
                String[] texts = new String[rows.size()];
                for (int row = 0; row < rows.size(); row++) {
                    texts[row] = rows.get(row).get(column);
                }
                s.setArray(column + 1, connection.createArrayOf("text", texts));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    /** Queued updates and deletes by statement text; each runs as one JDBC batch (one round trip) in flushWrites. */
    private final Map<String, PreparedStatement> queuedWrites = new LinkedHashMap<>();

    /** Reading ahead and queueing need the plain table: with a subset string every write is checked against it on its own. */
    @Override
    public boolean queuesWrites() {
        return !hasSubset();
    }

    @Override
    public Map<String, List<Map<String, Object>>> findAll(java.util.Collection<String> pks) throws SQLException {
        Map<String, List<Map<String, Object>>> rows = new java.util.HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT * FROM " + table + " WHERE " + quoteIdentifier(primaryKey)
                + " = ANY (CAST(? AS " + columnTypes.get(primaryKey) + "[]))")) {
            s.setArray(1, connection.createArrayOf("text", pks.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = attributesOf(rs);
                    rows.computeIfAbsent(keyText(row), k -> new ArrayList<>()).add(row);
                }
            }
        }
        return rows;
    }

    @Override
    public void queueUpdate(String pk, Map<String, Object> attributes, Geometry geometry) throws SQLException {
        List<Object> params = new ArrayList<>();
        queue("UPDATE " + table + " SET " + String.join(", ", assignments(attributes, geometry, params)) + whereKey(), params, pk);
    }

    @Override
    public void queueDelete(String pk) throws SQLException {
        queue("DELETE FROM " + table + whereKey(), new ArrayList<>(), pk);
    }

    private void queue(String sql, List<Object> params, String pk) throws SQLException {
        PreparedStatement s = queuedWrites.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            queuedWrites.put(sql, s);
        }
        params.add(pk);
        bind(s, params);
        s.addBatch();
    }

    @Override
    public void flushWrites() throws SQLException, DeltaFailure {
        try {
            for (PreparedStatement s : queuedWrites.values()) {
                for (int count : s.executeBatch()) {
                    if (count != 1) {
                        throw new DeltaFailure("A queued change of " + table + " touched " + count
                                + " features instead of one (a row-level security policy may hide one).");
                    }
                }
            }
        } finally {
            discardWrites();
        }
    }

    private void discardWrites() throws SQLException {
        for (PreparedStatement s : queuedWrites.values()) {
            s.close();
        }
        queuedWrites.clear();
    }

    @Override
    public void rollback() throws SQLException {
        queuedRows.clear();
        queuedSlots.clear();
        discardWrites();
        super.rollback();
    }

    @Override
    public void update(String pk, Map<String, Object> attributes, Geometry geometry) throws Exception {
        List<Object> params = new ArrayList<>();
        List<String> sets = assignments(attributes, geometry, params);
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

    /** The SET list of an update, adding its bound values to {@code params}. */
    private List<String> assignments(Map<String, Object> attributes, Geometry geometry, List<Object> params) {
        List<String> sets = new ArrayList<>();
        attributes.forEach((name, value) -> {
            sets.add(quoteIdentifier(name) + " = CAST(? AS " + columnTypes.get(name) + ")");
            params.add(value);
        });
        if (geometry != null) {
            if (geometry.wkt() == null) {
                sets.add(quoteIdentifier(geometryColumn) + " = NULL");
            } else {
                sets.add(quoteIdentifier(geometryColumn) + " = " + geometryExpression("?"));
                params.add(geometry.wkt());
            }
        }
        return sets;
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

    /** The stored geometry for WKT given by {@code wkt} (a parameter or a column of the unnest). */
    private String geometryExpression(String wkt) {
        String parsed = "ST_GeomFromText(" + wkt + ", " + srid + ")";
        return forceDimension == null ? parsed : forceDimension + "(" + parsed + ")";
    }

    private static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            String v = text(params.get(i));
            if (v == null) {
                s.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                s.setString(i + 1, v);
            }
        }
    }

    /** A value as the text the column's CAST reads. */
    private static String text(Object value) {
        return value == null ? null : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the open already failed; that error is the one reported
        }
    }
}
