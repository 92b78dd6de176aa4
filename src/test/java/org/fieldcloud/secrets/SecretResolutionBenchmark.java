package org.fieldcloud.secrets;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.fieldcloud.FieldCloudApplication;
import org.fieldcloud.support.TestData;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Resolving a job's secrets in a project that has 1,000 secrets across the four levels, against a plain indexed
 * lookup of one secrets row, alternating in the same run on an embedded PostgreSQL. Two fixtures of 1,000 secrets:
 * <ul>
 * <li><b>per-person</b>: 40 surveyors, each with their own organization- and project-level secrets (960), plus 40
 * shared ones; a job receives 44 winners.</li>
 * <li><b>all-shared</b>: 250 names at each level, all reaching the one surveyor; a job receives 250 winners.</li>
 * </ul>
 * For the second it also times reading 250 secrets rows from one index range and nothing else, the floor for any
 * resolution that returns 250 values. Run by bench/secrets-resolution.sh; prints medians and ratios.
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
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(FieldCloudApplication.class).web(WebApplicationType.NONE)
                .properties("fieldcloud.data-dir=" + dir, "fieldcloud.workers=0", "logging.level.root=WARN").run()) {
            new SecretResolutionBenchmark(ctx).run(iterations);
        }
    }

    private void run(int iterations) {
        Fixture perPerson = perPerson();
        Fixture allShared = allShared();
        jdbc.sql("ANALYZE secrets").update();
        long someId = jdbc.sql("SELECT max(id) FROM secrets").query(Long.class).single();
        LongSupplier lookup = timed(() -> jdbc.sql("SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE id = :id")
                .param("id", someId).query((rs, n) -> rs.getBytes("ciphertext")).single());
        LongSupplier floor = timed(() -> jdbc.sql("SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE project_id = :p AND coalesce(assigned_to, 0) = 0")
                .param("p", allShared.project.id()).query((rs, n) -> rs.getBytes("ciphertext")).list());
        for (Fixture f : List.of(perPerson, allShared)) {
            long[] base = new long[iterations];
            long[] resolve = new long[iterations];
            long[] bare = new long[iterations];
            LongSupplier resolveOnce = timed(() -> {
                int resolved = resolution.resolve(f.surveyor.id(), f.project.id()).size();
                if (resolved != f.winners) {
                    throw new IllegalStateException(f.name + ": resolved " + resolved + " names, expected " + f.winners);
                }
            });
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < iterations; i++) {
                    base[i] = lookup.getAsLong();
                    resolve[i] = resolveOnce.getAsLong();
                    bare[i] = f == allShared ? floor.getAsLong() : 0;
                }
            }
            double l = median(base) / 1000.0;
            double r = median(resolve) / 1000.0;
            System.out.printf("%s (%d secrets, %d winners): one-row lookup median %.0f us; resolution median %.0f us; ratio %.1f%n",
                    f.name, f.total, f.winners, l, r, r / l);
            if (f == allShared) {
                double b = median(bare) / 1000.0;
                System.out.printf("%s: reading 250 rows of one index range, nothing else: median %.0f us; ratio %.1f%n", f.name, b, b / l);
            }
        }
    }

    private record Fixture(String name, TestData.User surveyor, TestData.Project project, int total, int winners) { }

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
        // winners: SHARED_0..29, OWN_0..9 from the project, PROJECT_OWN_0..3
        return new Fixture("per-person", surveyors.get(7), project, total, 44);
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
        return new Fixture("all-shared", surveyor, project, total, 250);
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
