package org.fieldcloud.packaging;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fieldcloud.deltas.apply.PgConnectionSpec;
import org.fieldcloud.deltas.apply.PostgisLayer;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.qgis.QgisProject;
import org.fieldcloud.qgis.QgisProjectReader;
import org.fieldcloud.support.PostgisDatabase;
import org.w3c.dom.Document;

/**
 * Packaging a project with one PostGIS layer of N points with 10 attributes (the package builder: streamed export
 * into data.gpkg with its spatial index, and the rewritten .qgz), against {@code ogr2ogr -f GPKG} of the same
 * table, alternating, in the same run. Reports the medians, their ratio and the heap's peak during packaging.
 * Run by bench/packaging.sh.
 */
public final class PackagingBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (PostgisDatabase db = PostgisDatabase.create("fc_pkgbench")) {
            db.execute("""
                    CREATE TABLE points (id serial PRIMARY KEY, geom geometry(Point, 4326), a1 integer, a2 bigint, a3 double precision,
                                         a4 text, a5 text, a6 boolean, a7 date, a8 timestamp, a9 numeric, a10 varchar(40));
                    INSERT INTO points (geom, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10)
                    SELECT ST_SetSRID(ST_MakePoint(7 + (i % 1000) * 0.001, 46 + (i / 1000) * 0.001), 4326), i, i * 1000, i * 0.5,
                           'name ' || i, md5(i::text), i % 2 = 0, date '2024-01-01' + (i % 365), timestamp '2024-01-01' + i * interval '1 minute',
                           i / 7.0, 'v' || i FROM generate_series(1, $COUNT) i;
                    ANALYZE points;""".replace("$COUNT", Integer.toString(n)));
            Path work = Files.createTempDirectory("pkgbench");
            Path qgs = work.resolve("bench.qgs");
            Files.writeString(qgs, project(), StandardCharsets.UTF_8);
            PgConnectionSpec spec = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                    PostgisDatabase.ADMIN_PASSWORD, "disable");
            List<Double> ours = new ArrayList<>();
            List<Double> ogr = new ArrayList<>();
            long peak = 0;
            for (int round = 1; round <= rounds; round++) {
                Path ogrOut = work.resolve("ogr" + round + ".gpkg");
                double o = seconds(() -> ogr2ogr(db.name(), ogrOut));
                resetPeaks();
                Path export = Files.createDirectory(work.resolve("export" + round));
                double p = seconds(() -> packageOnce(qgs, work, export, spec));
                peak = Math.max(peak, heapPeak());
                ogr.add(o);
                ours.add(p);
                System.out.printf("round %d: ogr2ogr %.2f s, FieldCloud %.2f s (%d features, data.gpkg %d bytes)%n", round, o, p, n,
                        Files.size(export.resolve("data.gpkg")));
            }
            double mo = median(ogr);
            double mp = median(ours);
            System.out.printf("median: ogr2ogr %.2f s, FieldCloud %.2f s, ratio %.2f; heap peak during packaging %d MiB (-Xmx %d MiB)%n",
                    mo, mp, mp / mo, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void packageOnce(Path qgs, Path work, Path export, PgConnectionSpec spec) throws Exception {
        Document doc = QgisProjectReader.readDocument(qgs, QgisLimits.DEFAULT);
        QgisProject project = QgisProjectReader.read(qgs, QgisLimits.DEFAULT);
        PackageBuilder.Progress quiet = new PackageBuilder.Progress() {
            @Override
            public void log(String line) {
                System.out.println("  " + line);
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
        new PackageBuilder(project, new ProjectRewriter(doc), work, export,
                layerId -> PostgisLayer.open(spec, "public", "points", "geom", "id", null), quiet, AreaOfInterest.of(doc.getDocumentElement()))
                .build("bench.qgs");
    }

    private static void ogr2ogr(String dbName, Path out) throws Exception {
        Process p = new ProcessBuilder("ogr2ogr", "-f", "GPKG", out.toString(),
                "PG:host=" + PostgisDatabase.HOST + " port=" + PostgisDatabase.PORT + " dbname=" + dbName + " user=" + PostgisDatabase.ADMIN_USER
                        + " password=" + PostgisDatabase.ADMIN_PASSWORD, "points").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ogr2ogr failed");
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String project() {
        return """
                <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
                <qgis version="3.34.0-Prizren" projectname="bench">
                  <projectlayers>
                    <maplayer type="vector" geometry="Point" wkbType="Point">
                      <id>points_bench</id>
                      <datasource>service='bench' key='id' srid=4326 type=Point table="public"."points" (geom)</datasource>
                      <layername>points</layername>
                      <srs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></srs>
                      <provider encoding="">postgres</provider>
                    </maplayer>
                  </projectlayers>
                </qgis>
                """;
    }
}
