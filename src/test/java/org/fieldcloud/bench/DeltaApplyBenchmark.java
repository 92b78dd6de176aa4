package org.fieldcloud.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.deltas.apply.DeltaApplier;
import org.fieldcloud.deltas.apply.DeltaFeedback;
import org.fieldcloud.deltas.apply.PgConnectionSpec;
import org.fieldcloud.deltas.apply.PostgisLayer;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.PostgisDatabase;
import tools.jackson.databind.JsonNode;

/**
 * N create, then N patch, then N delete deltas applied to a PostGIS point table through the engine, each against the
 * same rows written with plain batched JDBC (1,000 statements per batch, one commit) in the same round, on the
 * machine's PostgreSQL. Run by bench/delta-apply.sh; prints one line per round and method, then the medians of the
 * measured rounds. Warm-up rounds run first, as in JMH, and are printed but not counted: the first rounds time the
 * JIT compiling the engine more than the engine.
 */
public final class DeltaApplyBenchmark {

    private static final String JDBC_INSERT = "INSERT INTO jdbc_points (name, value, geom) VALUES (?, ?, ST_GeomFromText(?, 4326))";
    private static final String JDBC_UPDATE = "UPDATE jdbc_points SET value = ? WHERE id = ?";
    private static final String JDBC_DELETE = "DELETE FROM jdbc_points WHERE id = ?";

    private interface Binder {
        void bind(PreparedStatement s, int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Map<String, List<Double>> ratios = Map.of("create", new ArrayList<>(), "patch", new ArrayList<>(), "delete", new ArrayList<>());
        try (PostgisDatabase db = PostgisDatabase.create("fc_bench")) {
            db.execute("CREATE TABLE jdbc_points (id serial PRIMARY KEY, name text, value integer, geom geometry(Point, 4326));"
                    + "CREATE TABLE engine_points (id serial PRIMARY KEY, name text, value integer, geom geometry(Point, 4326));");
            PgConnectionSpec spec = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                    PostgisDatabase.ADMIN_PASSWORD, "disable");
            for (int round = 1 - warmups; round <= rounds; round++) {
                double jdbc = jdbc(db, JDBC_INSERT, n, (s, i) -> {
                    s.setString(1, "p" + i);
                    s.setInt(2, i);
                    s.setString(3, point(i));
                });
                List<DeltaFeedback> created = engine(spec, creates(n), n);
                record(ratios, round, "create", report(round, "create", jdbc, created));

                List<Integer> ids = ids(db);
                jdbc = jdbc(db, JDBC_UPDATE, n, (s, i) -> {
                    s.setInt(1, i + 1);
                    s.setInt(2, ids.get(i));
                });
                List<String> keys = created.stream().map(DeltaFeedback::modifiedPk).toList();
                record(ratios, round, "patch", report(round, "patch", jdbc, engine(spec, patches(keys), n)));

                jdbc = jdbc(db, JDBC_DELETE, n, (s, i) -> s.setInt(1, ids.get(i)));
                record(ratios, round, "delete", report(round, "delete", jdbc, engine(spec, deletes(keys), n)));
                db.execute("TRUNCATE jdbc_points, engine_points");
            }
        }
        for (String method : List.of("create", "patch", "delete")) {
            List<Double> r = new ArrayList<>(ratios.get(method));
            r.sort(null);
            System.out.printf("median ratio %s: %.2f%n", method, r.get(r.size() / 2));
        }
    }

    /** Rounds numbered 0 or below are warm-ups. */
    private static void record(Map<String, List<Double>> ratios, int round, String method, double ratio) {
        if (round > 0) {
            ratios.get(method).add(ratio);
        }
    }

    private static String point(int i) {
        return "POINT (" + (7 + i * 1e-5) + " 46.9)";
    }

    /** Rows per second of one statement run n times in JDBC batches of 1,000, one transaction. */
    private static double jdbc(PostgisDatabase db, String sql, int n, Binder binder) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < n; i++) {
                    binder.bind(s, i);
                    s.addBatch();
                    if (i % 1000 == 999) s.executeBatch();
                }
                s.executeBatch();
            }
            c.commit();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static List<Integer> ids(PostgisDatabase db) throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT id FROM jdbc_points ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) ids.add(rs.getInt(1));
        }
        return ids;
    }

    /** Applies the deltas; returns their feedback, in order, after checking that every one applied. */
    private static List<DeltaFeedback> engine(PgConnectionSpec spec, List<JsonNode> deltas, int n) {
        long t0 = System.nanoTime();
        List<DeltaFeedback> f = new DeltaApplier().apply(deltas, Map.of(), false,
                id -> PostgisLayer.open(spec, "public", "engine_points", "geom", "id", null), line -> { });
        ENGINE_SECONDS = (System.nanoTime() - t0) / 1e9;
        long applied = f.stream().filter(x -> DeltaFeedback.APPLIED.equals(x.status())).count();
        if (applied != n) {
            throw new IllegalStateException("only " + applied + " of " + n + " deltas applied: "
                    + f.stream().filter(x -> !DeltaFeedback.APPLIED.equals(x.status())).findFirst().map(DeltaFeedback::msg).orElse(""));
        }
        return f;
    }

    private static double ENGINE_SECONDS;

    private static double report(int round, String method, double jdbc, List<DeltaFeedback> feedback) {
        double engine = feedback.size() / ENGINE_SECONDS;
        System.out.printf("%s %s: batched JDBC %.0f rows/s, engine %.0f deltas/s, ratio %.2f%n", round > 0 ? "round " + round : "warm-up",
                method, jdbc, engine, engine / jdbc);
        return engine / jdbc;
    }

    private static List<JsonNode> creates(int n) {
        List<JsonNode> deltas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            deltas.add(delta("create", String.valueOf(i), "", "\"new\":{\"geometry\":\"" + point(i) + "\",\"attributes\":{\"name\":\"p" + i
                    + "\",\"value\":" + i + "}}"));
        }
        return deltas;
    }

    /** Patches that pass the conflict check on name and value, and change value. */
    private static List<JsonNode> patches(List<String> keys) {
        List<JsonNode> deltas = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            deltas.add(delta("patch", keys.get(i), keys.get(i), "\"old\":{\"attributes\":{\"name\":\"p" + i + "\",\"value\":" + i
                    + "}},\"new\":{\"attributes\":{\"name\":\"p" + i + "\",\"value\":" + (i + 1) + "}}"));
        }
        return deltas;
    }

    private static List<JsonNode> deletes(List<String> keys) {
        List<JsonNode> deltas = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            deltas.add(delta("delete", keys.get(i), keys.get(i), "\"old\":{\"attributes\":{\"value\":" + (i + 1) + "}}"));
        }
        return deltas;
    }

    private static JsonNode delta(String method, String localPk, String sourcePk, String body) {
        return Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"localPk\":\"" + localPk
                + "\",\"sourcePk\":\"" + sourcePk + "\",\"localLayerId\":\"pts\",\"sourceLayerId\":\"pts\",\"method\":\"" + method + "\"," + body + "}");
    }
}
