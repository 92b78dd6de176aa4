package org.fieldcloud.secrets;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.Map;
import org.fieldcloud.FieldCloudApplication;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.JobClaims;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.processing.JobWorkspace;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Resolving a job's secrets in a project that has 1,000 secrets across the four levels, against reading the same
 * candidate rows (the four index ranges the ladder visits) and nothing else, alternating in the same run on an
 * embedded PostgreSQL; and the whole start of a job with those secrets. Two fixtures of 1,000 secrets:
 * <ul>
 * <li><b>per-person</b>: 40 surveyors, each with their own organization- and project-level secrets (960), plus 40
 * shared ones; a job receives 44 winners.</li>
 * <li><b>all-shared</b>: 250 names at each level, all reaching the one surveyor; a job receives 250 winners.</li>
 * </ul>
 * The job start is what a worker does before a handler's own work: claim the queued job, open its private
 * directory (with the project's QGIS file, downloaded and read), resolve the person's secrets and write their
 * {@code pg_service.conf}. Run by bench/secrets-resolution.sh; prints medians and ratios.
 */
public final class SecretResolutionBenchmark {

    private final TestData data;
    private final Secrets secrets;
    private final SecretResolution resolution;
    private final JdbcClient jdbc;
    private final TestData.User owner;

    private SecretResolutionBenchmark(ConfigurableApplicationContext ctx) {
        data = ctx.getBean(TestData.class);
        secrets = ctx.getBean(Secrets.class);
        resolution = ctx.getBean(SecretResolution.class);
        jdbc = ctx.getBean(JdbcClient.class);
        owner = data.person("owner");
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        var dir = Files.createTempDirectory("fc-bench-secrets");
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(FieldCloudApplication.class).web(WebApplicationType.SERVLET)
                .properties("fieldcloud.data-dir=" + dir, "fieldcloud.workers=0", "server.port=0", "logging.level.root=WARN").run()) {
            SecretResolutionBenchmark benchmark = new SecretResolutionBenchmark(ctx);
            benchmark.run(iterations);
            benchmark.jobStart(ctx, iterations);
        }
    }

    /** The four index ranges the ladder reads, as one statement with no role check, ladder or decryption. */
    private static final String CANDIDATES = """
            SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE project_id = :p AND coalesce(assigned_to, 0) = :u
            UNION ALL SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE project_id = :p AND coalesce(assigned_to, 0) = 0
            UNION ALL SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE organization_id = :o AND coalesce(assigned_to, 0) = :u
            UNION ALL SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE organization_id = :o AND coalesce(assigned_to, 0) = 0""";

    private Fixture perPerson;

    private void run(int iterations) {
        perPerson = perPerson();
        Fixture allShared = allShared();
        jdbc.sql("ANALYZE secrets").update();
        for (Fixture f : List.of(perPerson, allShared)) {
            long[] floor = new long[iterations];
            long[] resolve = new long[iterations];
            LongSupplier readCandidates = timed(() -> {
                int read = jdbc.sql(CANDIDATES).param("p", f.project.id()).param("o", f.org.id()).param("u", f.surveyor.id())
                        .query((rs, n) -> rs.getBytes("ciphertext")).list().size();
                if (read != f.candidates) {
                    throw new IllegalStateException(f.name + ": read " + read + " candidates, expected " + f.candidates);
                }
            });
            LongSupplier resolveOnce = timed(() -> {
                int resolved = resolution.resolve(f.surveyor.id(), f.project.id()).size();
                if (resolved != f.winners) {
                    throw new IllegalStateException(f.name + ": resolved " + resolved + " names, expected " + f.winners);
                }
            });
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < iterations; i++) {
                    floor[i] = readCandidates.getAsLong();
                    resolve[i] = resolveOnce.getAsLong();
                }
            }
            double b = median(floor) / 1000.0;
            double r = median(resolve) / 1000.0;
            System.out.printf("%s (%d secrets, %d candidates, %d winners): reading the candidates median %.0f us; resolution median %.0f us;"
                    + " ratio %.2f%n", f.name, f.total, f.candidates, f.winners, b, r, r / b);
        }
    }

    /** Claim, private directory with the project file, resolution and service file of the per-person fixture's surveyor. */
    private void jobStart(ConfigurableApplicationContext ctx, int iterations) throws Exception {
        Jobs jobs = ctx.getBean(Jobs.class);
        JobWorkspace workspace = ctx.getBean(JobWorkspace.class);
        uploadProjectFile(ctx, perPerson.project);
        long[] start = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            jobs.enqueue(perPerson.project.id(), Job.DELTA_APPLY, perPerson.surveyor.id(), Map.of(), false);
            long t0 = System.nanoTime();
            JobContext context = JobClaims.claim(jobs, "bench").orElseThrow();
            try (JobWorkspace.Opened opened = workspace.open(context)) {
                int resolved = opened.secretsOf(perPerson.surveyor.id()).environment().size();
                start[i] = System.nanoTime() - t0;
                if (resolved != perPerson.winners) {
                    throw new IllegalStateException("the job received " + resolved + " secrets, expected " + perPerson.winners);
                }
            }
            JobClaims.finish(jobs, context);
        }
        long[] sorted = start.clone();
        Arrays.sort(sorted);
        System.out.printf("job start (claim, private directory, project file, %d secrets resolved, pg_service.conf): median %.2f ms,"
                + " p95 %.2f ms%n", perPerson.winners, sorted[iterations / 2] / 1e6, sorted[(int) (iterations * 0.95)] / 1e6);
    }

    private void uploadProjectFile(ConfigurableApplicationContext ctx, TestData.Project project) {
        int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) ctx).getWebServer().getPort();
        byte[] qgs = "<qgis version=\"3.34.0\"><projectlayers/></qgis>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Http.Response response = new Multipart().file("file", "p.qgs", qgs)
                .post(new Http("http://127.0.0.1:" + port).as(owner), "/api/v1/files/" + project.id() + "/p.qgs/");
        if (response.status() != 201) {
            throw new IllegalStateException("uploading the project file: " + response);
        }
    }

    private record Fixture(String name, TestData.Org org, TestData.User surveyor, TestData.Project project, int total, int candidates,
                           int winners) { }

    private Fixture perPerson() {
        TestData.Org org = data.organization(owner);
        TestData.Project project = data.project(org);
        List<TestData.User> surveyors = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            TestData.User surveyor = data.person("surveyor");
            data.member(org, surveyor, "member");
            data.collaborator(project, surveyor, "editor");
            surveyors.add(surveyor);
        }
        int total = 0;
        for (int i = 0; i < 20; i++) {
            total += create(SecretScope.organization(org.id()), "SHARED_" + i, null);
            total += create(SecretScope.project(project.id()), "SHARED_" + (i + 10), null);
        }
        for (TestData.User surveyor : surveyors) {
            for (int i = 0; i < 10; i++) {
                total += create(SecretScope.organization(org.id()), "OWN_" + i, surveyor.id());
                total += create(SecretScope.project(project.id()), "OWN_" + i, surveyor.id());
            }
            for (int i = 0; i < 4; i++) {
                total += create(SecretScope.project(project.id()), "PROJECT_OWN_" + i, surveyor.id());
            }
        }
        // candidates: 14 + 20 of the project, 10 + 20 of the organization; winners: SHARED_0..29, OWN_0..9 from the
        // project, PROJECT_OWN_0..3
        return new Fixture("per-person", org, surveyors.get(7), project, total, 64, 44);
    }

    private Fixture allShared() {
        TestData.User surveyor = data.person("surveyor");
        TestData.Org org = data.organization(owner);
        data.member(org, surveyor, "member");
        TestData.Project project = data.project(org);
        data.collaborator(project, surveyor, "editor");
        int total = 0;
        for (int i = 0; i < 250; i++) {
            total += create(SecretScope.organization(org.id()), "SECRET_" + i, null);
            total += create(SecretScope.organization(org.id()), "SECRET_" + i, surveyor.id());
            total += create(SecretScope.project(project.id()), "SECRET_" + i, null);
            total += create(SecretScope.project(project.id()), "SECRET_" + i, surveyor.id());
        }
        return new Fixture("all-shared", org, surveyor, project, total, 1000, 250);
    }

    private int create(SecretScope scope, String name, Long assignedTo) {
        secrets.create(scope, new Secrets.NewSecret(name, "envvar", "value-of-" + name, assignedTo), owner.id());
        return 1;
    }

    private static LongSupplier timed(Runnable action) {
        return () -> {
            long t0 = System.nanoTime();
            action.run();
            return System.nanoTime() - t0;
        };
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
