package org.fieldcloud.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fieldcloud.permissions.PermissionMatrix.Cell;
import org.fieldcloud.permissions.PermissionMatrix.Expect;
import org.fieldcloud.permissions.PermissionMatrix.Row;
import org.fieldcloud.permissions.PermissionProbes.Probe;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The exhaustive permission test: every (row, actor) cell of permissions.md becomes one real HTTP request per
 * probe of {@link PermissionProbes}, in a fresh {@link MatrixWorld}. ✅ expects a 2xx (for listing probes: the
 * project is listed); ❌ expects 401 for the anonymous actor 1, and 403 — or 404 where the cell says so — for
 * the others (for listing probes: 200 without the project); ‒ is not a request.
 *
 * <p>The notes of permissions.md are variants over the project rows: on a public project the unrelated actors
 * 2, 11 and C behave like the reader (column 8); with {@code default_project_role_for_members} set to a role,
 * actors 11 and C behave like the collaborator column of that role; a creator who created the project through
 * the API behaves like an admin (column 4).
 *
 * <p>Every row of the table must have probes, and a request answered by the router's "No such endpoint" 404 or
 * by a 405 fails its cell: an unmapped endpoint is a failure, never a skip. A probe that changes something is
 * checked for its effect: an allowed cell must leave the state the probe expects, a denied cell must leave the
 * state exactly as it was. The test's copy of the matrix must equal the shared spec's.
 */
class PermissionMatrixTest extends ApiTest {

    private static final PermissionMatrix MATRIX = PermissionMatrix.load();
    private static final Map<String, String> COLUMN_OF_ROLE = Map.of("admin", "4", "manager", "5", "editor", "6", "reporter", "7", "reader", "8");
    private static MatrixWorld.Cast cast;

    @TestFactory
    Stream<DynamicNode> matrix() {
        return MATRIX.rows().stream().map(row -> container(row, MatrixWorld.Options.BASE, actor -> actor));
    }

    @TestFactory
    Stream<DynamicNode> publicProjectVariant() {
        MatrixWorld.Options options = new MatrixWorld.Options(true, null, false);
        return projectRows().map(row -> container(row, options, actor -> Map.of("2", "8", "11", "8", "C", "8").get(actor)));
    }

    @TestFactory
    Stream<DynamicNode> defaultRoleVariant() {
        return COLUMN_OF_ROLE.keySet().stream().sorted().map(role -> DynamicContainer.dynamicContainer(
                "default_project_role_for_members = " + role,
                projectRows().map(row -> container(row, new MatrixWorld.Options(false, role, false),
                        actor -> Map.of("11", COLUMN_OF_ROLE.get(role), "C", COLUMN_OF_ROLE.get(role)).get(actor)))));
    }

    @TestFactory
    Stream<DynamicNode> creatorIsAdminOfOwnProjectsVariant() {
        MatrixWorld.Options options = new MatrixWorld.Options(false, null, true);
        return projectRows().map(row -> container(row, options, actor -> "C".equals(actor) ? "4" : null));
    }

    @Test
    void everyRowOfTheTableHasProbesAndTheRegistryNamesNoOtherRow() {
        List<Integer> tableRows = MATRIX.rows().stream().map(Row::number).toList();
        assertThat(PermissionProbes.REGISTRY.keySet()).containsExactlyInAnyOrderElementsOf(tableRows);
        PermissionProbes.REGISTRY.forEach((row, probes) -> assertThat(probes).as("probes of row " + row).isNotEmpty());
        assertThat(tableRows).containsAll(PermissionProbes.PROJECT_ROWS);
        assertThat(MATRIX.actors()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "C");
    }

    /** The copy in the test resources is what the test reads; the shared spec is the contract. They must not drift. */
    @Test
    void theTestsCopyOfTheMatrixIsTheSharedSpecification() throws IOException {
        Path shared = sharedSpec();
        assertThat(shared).as("the shared spec: shared/ beside the project or above it, or FIELDCLOUD_SHARED_DIR").isRegularFile();
        assertThat(PermissionMatrix.text()).isEqualTo(Files.readString(shared));
    }

    /** {@code $FIELDCLOUD_SHARED_DIR/spec/permissions.md}, else the nearest {@code shared/spec/permissions.md} beside a parent folder. */
    private static Path sharedSpec() {
        String configured = System.getenv("FIELDCLOUD_SHARED_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured, "spec", "permissions.md");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir.getParent() != null; dir = dir.getParent()) {
            Path candidate = dir.getParent().resolve("shared").resolve("spec").resolve("permissions.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Path.of("..", "shared", "spec", "permissions.md");
    }

    private static Stream<Row> projectRows() {
        return MATRIX.rows().stream().filter(row -> PermissionProbes.PROJECT_ROWS.contains(row.number()));
    }

    /**
     * The cells of one row. {@code expectationColumn} maps an actor to the column whose cell it must follow
     * in this variant (null: the actor is not part of the variant).
     */
    private DynamicContainer container(Row row, MatrixWorld.Options options, Function<String, String> expectationColumn) {
        List<DynamicNode> cells = new ArrayList<>();
        List<Probe> probes = PermissionProbes.REGISTRY.getOrDefault(row.number(), List.of());
        for (String actor : MATRIX.actors()) {
            String column = expectationColumn.apply(actor);
            Cell cell = column == null ? null : row.cell(column);
            if (cell == null || cell.expect() == Expect.NOT_APPLICABLE) {
                continue;
            }
            String name = "actor " + actor + " " + cell.text() + (column.equals(actor) ? "" : " (as column " + column + ")");
            for (Probe probe : probes) {
                cells.add(DynamicTest.dynamicTest(name + " — " + probe.label(), () -> check(row, actor, cell, probe, options)));
            }
        }
        return DynamicContainer.dynamicContainer("row " + row.number() + ": " + row.action(), cells);
    }

    private void check(Row row, String actor, Cell cell, Probe probe, MatrixWorld.Options options) {
        MatrixWorld world = new MatrixWorld(data, http, cast(), options);
        try {
            check(row, actor, cell, probe, world);
        } finally {
            world.dispose();
        }
    }

    private void check(Row row, String actor, Cell cell, Probe probe, MatrixWorld world) {
        Object prepared = probe.setup().prepare(world, actor);
        Object before = probe.effect() == null ? null : probe.effect().state().read(world, actor, prepared);
        Http.Response r = probe.request().send(world, actor, prepared);
        String context = "row " + row.number() + " (" + row.action() + "), actor " + actor + ", " + probe.label() + " → " + r;
        failIfEndpointMissing(r, context);
        if (cell.expect() == Expect.ALLOWED) {
            assertThat(r.status() / 100).as(context).isEqualTo(2);
            if (probe.listing()) {
                assertThat(listed(r, world, actor)).as(context + ": the project must be listed").isTrue();
            }
        } else if ("1".equals(actor)) {
            assertThat(r.status()).as(context).isEqualTo(401);
        } else if (probe.listing()) {
            assertThat(r.status()).as(context).isEqualTo(200);
            assertThat(listed(r, world, actor)).as(context + ": the project must not be listed").isFalse();
        } else {
            assertThat(r.status()).as(context).isEqualTo(cell.denialStatus());
        }
        if (probe.effect() != null) {
            Object after = probe.effect().state().read(world, actor, prepared);
            if (cell.expect() == Expect.ALLOWED) {
                assertThat(after).as(context + ": the effect (state was " + before + ")")
                        .isEqualTo(probe.effect().expectedWhenAllowed().read(world, actor, prepared));
            } else {
                assertThat(after).as(context + ": a refused request must change nothing").isEqualTo(before);
            }
        }
    }

    private static boolean listed(Http.Response r, MatrixWorld world, String actor) {
        String id = world.project(actor).id().toString();
        for (JsonNode project : r.json()) {
            if (project.get("id").asString().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** The router's own 404, or a 405 (no handler for that method): the endpoint the row needs is not mapped. */
    private static void failIfEndpointMissing(Http.Response r, String context) {
        boolean missing = (r.status() == 404 && r.text().contains("No such endpoint")) || r.status() == 405;
        assertThat(missing).as(context + ": the endpoint is not mapped").isFalse();
    }

    private MatrixWorld.Cast cast() {
        synchronized (PermissionMatrixTest.class) {
            if (cast == null) {
                cast = MatrixWorld.Cast.create(data);
            }
            return cast;
        }
    }
}
