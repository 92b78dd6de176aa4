package org.fieldcloud.secrets;

import java.nio.file.Files;
import java.util.Arrays;
import org.fieldcloud.FieldCloudApplication;
import org.fieldcloud.support.TestData;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Resolving a job's secrets when the project has 1,000 secrets (250 names at each of the four levels) against a
 * plain indexed lookup of one secrets row, in the same run on an embedded PostgreSQL. Run by
 * bench/secrets-resolution.sh; prints median microseconds of each and the ratio.
 */
public final class SecretResolutionBenchmark {

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        var dir = Files.createTempDirectory("fc-bench-secrets");
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(FieldCloudApplication.class).web(WebApplicationType.NONE)
                .properties("fieldcloud.data-dir=" + dir, "fieldcloud.workers=0", "logging.level.root=WARN").run()) {
            TestData data = ctx.getBean(TestData.class);
            Secrets secrets = ctx.getBean(Secrets.class);
            SecretResolution resolution = ctx.getBean(SecretResolution.class);
            JdbcClient jdbc = ctx.getBean(JdbcClient.class);
            TestData.User owner = data.person("owner");
            TestData.User surveyor = data.person("surveyor");
            TestData.Org org = data.organization(owner);
            data.member(org, surveyor, "member");
            TestData.Project project = data.project(org);
            data.collaborator(project, surveyor, "editor");
            for (int i = 0; i < 250; i++) {
                String name = "SECRET_" + i;
                secrets.create(SecretScope.organization(org.id()), new Secrets.NewSecret(name, "envvar", "org-" + i, null), owner.id());
                secrets.create(SecretScope.organization(org.id()), new Secrets.NewSecret(name, "envvar", "org-user-" + i, surveyor.id()), owner.id());
                secrets.create(SecretScope.project(project.id()), new Secrets.NewSecret(name, "envvar", "project-" + i, null), owner.id());
                secrets.create(SecretScope.project(project.id()), new Secrets.NewSecret(name, "envvar", "project-user-" + i, surveyor.id()), owner.id());
            }
            long someId = jdbc.sql("SELECT max(id) FROM secrets").query(Long.class).single();
            long[] lookup = new long[iterations];
            long[] resolve = new long[iterations];
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    jdbc.sql("SELECT id, name, type, key_id, nonce, ciphertext FROM secrets WHERE id = :id").param("id", someId)
                            .query((rs, n) -> rs.getBytes("ciphertext")).single();
                    lookup[i] = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    int resolved = resolution.resolve(surveyor.id(), project.id()).size();
                    resolve[i] = System.nanoTime() - t1;
                    if (resolved != 250) {
                        throw new IllegalStateException("resolved " + resolved + " names, expected 250");
                    }
                }
            }
            double l = median(lookup) / 1000.0;
            double r = median(resolve) / 1000.0;
            System.out.printf("indexed one-row lookup: median %.0f us; resolution of 1,000 secrets (250 winners): median %.0f us; ratio %.1f%n", l, r, r / l);
        }
    }

    private static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

}
