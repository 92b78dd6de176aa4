package org.fieldcloud.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * Applying N create deltas to a PostGIS point table through the engine, against inserting the same rows with
 * plain batched JDBC, in the same run on the machine's PostgreSQL. Run by bench/delta-apply.sh.
 */
public final class DeltaApplyBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (PostgisDatabase db = PostgisDatabase.create("fc_bench")) {
            db.execute("CREATE TABLE jdbc_points (id serial PRIMARY KEY, name text, value integer, geom geometry(Point, 4326));"
                    + "CREATE TABLE engine_points (id serial PRIMARY KEY, name text, value integer, geom geometry(Point, 4326));");
            List<JsonNode> deltas = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                deltas.add(Http.JSON.readTree("{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID()
                        + "\",\"localPk\":\"" + i + "\",\"sourcePk\":\"\",\"localLayerId\":\"pts\",\"sourceLayerId\":\"pts\",\"method\":\"create\","
                        + "\"new\":{\"geometry\":\"POINT (" + (7 + i * 1e-5) + " 46.9)\",\"attributes\":{\"name\":\"p" + i + "\",\"value\":" + i + "}}}"));
            }
            PgConnectionSpec spec = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                    PostgisDatabase.ADMIN_PASSWORD, "disable");
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.nanoTime();
                try (Connection c = db.connection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO jdbc_points (name, value, geom) VALUES (?, ?, ST_GeomFromText(?, 4326))")) {
                        for (int i = 0; i < n; i++) {
                            s.setString(1, "p" + i);
                            s.setInt(2, i);
                            s.setString(3, "POINT (" + (7 + i * 1e-5) + " 46.9)");
                            s.addBatch();
                            if (i % 1000 == 999) s.executeBatch();
                        }
                        s.executeBatch();
                    }
                    c.commit();
                }
                double jdbc = n / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                List<DeltaFeedback> f = new DeltaApplier().apply(deltas, Map.of(), true,
                        id -> PostgisLayer.open(spec, "public", "engine_points", "geom", "id", null), line -> { });
                double engine = n / ((System.nanoTime() - t1) / 1e9);
                long applied = f.stream().filter(x -> DeltaFeedback.APPLIED.equals(x.status())).count();
                if (applied != n) {
                    throw new IllegalStateException("only " + applied + " of " + n + " deltas applied");
                }
                System.out.printf("round %d: batched JDBC %.0f rows/s, engine %.0f deltas/s, ratio %.2f%n", round, jdbc, engine, engine / jdbc);
                db.execute("TRUNCATE jdbc_points, engine_points");
            }
        }
    }
}
