package org.fieldcloud.deltas.apply;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An untyped CSV layer (every column a string, no geometry) written as GDAL's CSV driver writes it, since the
 * reference's files must stay byte-identical: header as is, values that look numeric in double quotes,
 * others bare unless they need quoting, LF line ends.
 */
public final class CsvLayer extends InMemoryLayer {

    private static final Pattern NUMERIC = Pattern.compile("^[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$");
    private final Path file;
    private final List<String> header;

    private CsvLayer(Path file, List<String> header, List<Feature> features) throws LayerException {
        super(new LinkedHashSet<>(header), features);
        this.file = file;
        this.header = header;
    }

    public static CsvLayer open(Path file) throws LayerException {
        if (!Files.isRegularFile(file)) {
            throw new LayerException("File \"" + file.getFileName() + "\" missing.");
        }
        try {
            List<List<String>> rows = parse(Files.readString(file, StandardCharsets.UTF_8));
            if (rows.isEmpty()) {
                throw new LayerException("The CSV file \"" + file.getFileName() + "\" has no header line.");
            }
            List<String> header = rows.get(0);
            List<Feature> features = new ArrayList<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    attributes.put(header.get(i), i < row.size() ? row.get(i) : null);
                }
                features.add(new Feature(attributes, null));
            }
            return new CsvLayer(file, header, features);
        } catch (IOException e) {
            throw new LayerException("Cannot read the CSV file \"" + file.getFileName() + "\": " + e.getMessage());
        }
    }

    @Override
    public boolean spatial() {
        return false;
    }

    @Override
    protected void write(List<Feature> features) throws IOException {
        StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
        for (Feature f : features) {
            List<String> cells = new ArrayList<>();
            for (String column : header) {
                cells.add(cell(f.attributes.get(column)));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        if (NUMERIC.matcher(s).matches() || s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
    static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                if (any || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
