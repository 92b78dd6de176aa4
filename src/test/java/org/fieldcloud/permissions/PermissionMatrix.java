package org.fieldcloud.permissions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * permissions.md (copied from the shared spec into the test resources) parsed at test time: its table is the
 * contract, so a change of the table changes the tests without touching code.
 */
record PermissionMatrix(List<String> actors, List<Row> rows) {

    enum Expect { ALLOWED, DENIED, NOT_APPLICABLE }

    /** One cell: what is expected, and its text (for notes like "(org: 404)" or "personal"). */
    record Cell(Expect expect, String text) {

        /** The status of a denial for an authenticated actor: 404 where the table says so, else 403. */
        int denialStatus() {
            return text.contains("404") ? 404 : 403;
        }
    }

    record Row(int number, String action, Map<String, Cell> cells) {

        Cell cell(String actor) {
            return cells.get(actor);
        }
    }

    static PermissionMatrix load() {
        return parse(text());
    }

    /** The test resources' copy of permissions.md. */
    static String text() {
        try (InputStream in = PermissionMatrix.class.getResourceAsStream("/permissions/permissions.md")) {
            if (in == null) {
                throw new IllegalStateException("src/test/resources/permissions/permissions.md is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PermissionMatrix parse(String markdown) {
        List<String> actors = null;
        List<Row> rows = new ArrayList<>();
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = split(line);
            if (cells.get(0).equals("#")) {
                actors = cells.subList(2, cells.size());
            } else if (cells.get(0).matches("\\d+")) {
                rows.add(row(actors, cells));
            }
        }
        if (actors == null || rows.isEmpty()) {
            throw new IllegalStateException("permissions.md has no table with a '| # | Action | …' header");
        }
        return new PermissionMatrix(actors, rows);
    }

    private static Row row(List<String> actors, List<String> cells) {
        if (actors == null || cells.size() != actors.size() + 2) {
            throw new IllegalStateException("permissions.md row '" + cells + "' does not match the header " + actors);
        }
        Map<String, Cell> byActor = new LinkedHashMap<>();
        for (int i = 0; i < actors.size(); i++) {
            byActor.put(actors.get(i), cell(cells.get(i + 2)));
        }
        return new Row(Integer.parseInt(cells.get(0)), cells.get(1), byActor);
    }

    private static Cell cell(String text) {
        Expect expect;
        if (text.startsWith("✅")) {
            expect = Expect.ALLOWED;
        } else if (text.startsWith("❌")) {
            expect = Expect.DENIED;
        } else if (text.startsWith("‒") || text.startsWith("-") || text.startsWith("—")) {
            expect = Expect.NOT_APPLICABLE;
        } else {
            throw new IllegalStateException("permissions.md cell '" + text + "' is neither ✅, ❌ nor ‒");
        }
        return new Cell(expect, text);
    }

    private static List<String> split(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> out = new ArrayList<>();
        for (String part : inner.split("\\|", -1)) {
            out.add(part.trim());
        }
        return out;
    }
}
