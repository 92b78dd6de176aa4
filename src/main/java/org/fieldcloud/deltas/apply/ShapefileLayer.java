package org.fieldcloud.deltas.apply;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mil.nga.sf.LineString;
import mil.nga.sf.MultiLineString;
import mil.nga.sf.MultiPoint;
import mil.nga.sf.MultiPolygon;
import mil.nga.sf.Point;
import mil.nga.sf.Polygon;

/**
 * An ESRI shapefile ({@code .shp} geometries and {@code .dbf} attributes, read side by side as streams), for packaging:
 * FieldCloud reads shapefiles but does not edit them. As in QGIS, features are addressed by a {@code fid} attribute;
 * a shapefile without one has no key (packaging then keeps it read-only). Text is decoded with the charset its
 * {@code .cpg} names, else ISO-8859-1 as GDAL does.
 */
public final class ShapefileLayer implements FeatureLayer {

    private final Path shp;
    private final Path dbf;
    private final Charset charset;
    private final List<DbfField> dbfFields;
    private final String key;

    private record DbfField(String name, char type, int length, int decimals) { }

    private ShapefileLayer(Path shp, Path dbf, Charset charset, List<DbfField> dbfFields, String key) {
        this.shp = shp;
        this.dbf = dbf;
        this.charset = charset;
        this.dbfFields = dbfFields;
        this.key = key;
    }

    public static ShapefileLayer open(Path shp) throws LayerException {
        String name = shp.getFileName().toString();
        String stem = name.substring(0, name.length() - 4);
        Path dbf = sibling(shp, stem, ".dbf");
        if (!Files.isRegularFile(shp) || dbf == null) {
            throw new LayerException("File \"" + name + "\" or its .dbf is missing.");
        }
        Charset charset = charset(sibling(shp, stem, ".cpg"));
        List<DbfField> fields;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dbf)))) {
            fields = readDbfHeader(in, charset).fields();
        } catch (IOException e) {
            throw new LayerException("Cannot read \"" + dbf.getFileName() + "\": " + e.getMessage());
        }
        String key = fields.stream().map(DbfField::name).filter(n -> n.equalsIgnoreCase("fid")).findFirst()
                .orElseThrow(() -> new NoPrimaryKeyException("The shapefile \"" + name + "\" neither has a primary key, nor an attribute `fid`!"));
        return new ShapefileLayer(shp, dbf, charset, fields, key);
    }

    /** The sidecar with this extension in any letter case (shapefiles come as .DBF as often as .dbf). */
    private static Path sibling(Path shp, String stem, String extension) {
        for (String candidate : List.of(stem + extension, stem + extension.toUpperCase())) {
            Path p = shp.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Charset charset(Path cpg) {
        if (cpg == null) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            String name = Files.readString(cpg, StandardCharsets.US_ASCII).trim();
            return Charset.forName(name.matches("\\d+") ? "windows-" + name : name);
        } catch (IOException | IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    private record DbfHeader(int records, int headerLength, int recordLength, List<DbfField> fields) { }

    private static DbfHeader readDbfHeader(DataInputStream in, Charset charset) throws IOException {
        byte[] head = in.readNBytes(32);
        if (head.length < 32) {
            throw new EOFException("the .dbf header is cut short");
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int records = b.getInt(4);
        int headerLength = Short.toUnsignedInt(b.getShort(8));
        int recordLength = Short.toUnsignedInt(b.getShort(10));
        List<DbfField> fields = new ArrayList<>();
        int read = 32;
        while (read + 32 <= headerLength) {
            byte[] d = in.readNBytes(32);
            read += 32;
            if (d.length < 32 || d[0] == 0x0D) {
                break;
            }
            int end = 0;
            while (end < 11 && d[end] != 0) end++;
            fields.add(new DbfField(new String(d, 0, end, charset).trim(), (char) d[11], Byte.toUnsignedInt(d[16]), Byte.toUnsignedInt(d[17])));
        }
        in.skipNBytes(Math.max(0, headerLength - read));
        return new DbfHeader(records, headerLength, recordLength, fields);
    }

    @Override
    public String primaryKey() {
        return key;
    }

    @Override
    public Set<String> fields() {
        return new java.util.LinkedHashSet<>(dbfFields.stream().map(DbfField::name).toList());
    }

    @Override
    public boolean spatial() {
        return true;
    }

    @Override
    public Map<String, String> declaredTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (DbfField f : dbfFields) {
            types.put(f.name(), switch (f.type()) {
                case 'N' -> f.decimals() == 0 ? (f.length() > 9 ? "bigint" : "integer") : "real";
                case 'F' -> "real";
                case 'L' -> "boolean";
                case 'D' -> "date";
                default -> "text";
            });
        }
        return types;
    }

    @Override
    public void scan(FeatureSink sink) throws Exception {
        try (DataInputStream shapes = new DataInputStream(new BufferedInputStream(Files.newInputStream(shp), 1 << 16));
             DataInputStream table = new DataInputStream(new BufferedInputStream(Files.newInputStream(dbf), 1 << 16))) {
            shapes.skipNBytes(100);
            DbfHeader header = readDbfHeader(table, charset);
            for (int i = 0; i < header.records(); i++) {
                byte[] record = table.readNBytes(header.recordLength());
                mil.nga.sf.Geometry geometry = nextShape(shapes);
                if (record.length < header.recordLength() || record[0] == '*') {
                    continue;
                }
                sink.accept(attributes(record), geometry);
            }
        }
    }

    private Map<String, Object> attributes(byte[] record) {
        Map<String, Object> out = new LinkedHashMap<>();
        int at = 1;
        for (DbfField f : dbfFields) {
            String raw = new String(record, at, Math.min(f.length(), record.length - at), charset).trim();
            at += f.length();
            out.put(f.name(), value(f, raw));
        }
        return out;
    }

    private static Object value(DbfField f, String raw) {
        if (raw.isEmpty() || raw.chars().allMatch(c -> c == '*')) {
            return null;
        }
        try {
            return switch (f.type()) {
                case 'N' -> f.decimals() == 0 ? (Object) Long.parseLong(raw) : (Object) Double.parseDouble(raw);
                case 'F' -> Double.parseDouble(raw);
                case 'L' -> "TtYy".indexOf(raw.charAt(0)) >= 0 ? Boolean.TRUE : "FfNn".indexOf(raw.charAt(0)) >= 0 ? Boolean.FALSE : null;
                case 'D' -> LocalDate.parse(raw, DateTimeFormatter.BASIC_ISO_DATE);
                default -> raw;
            };
        } catch (RuntimeException unreadable) {
            return raw;
        }
    }

    /** The next record of the .shp (null shape → null): big-endian record header, little-endian content. */
    private static mil.nga.sf.Geometry nextShape(DataInputStream in) throws IOException {
        in.readInt();
        int words = in.readInt();
        byte[] content = in.readNBytes(words * 2);
        ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        int type = content.length >= 4 ? b.getInt() : 0;
        boolean z = type == 11 || type == 13 || type == 15 || type == 18;
        boolean m = type == 21 || type == 23 || type == 25 || type == 28;
        return switch (type) {
            case 1, 11, 21 -> point(b, z, m, content.length);
            case 8, 18, 28 -> multiPoint(b, z, m);
            case 3, 13, 23 -> lines(b, z, m);
            case 5, 15, 25 -> polygons(b, z, m);
            default -> null;
        };
    }

    private static Point point(ByteBuffer b, boolean z, boolean m, int length) {
        double x = b.getDouble();
        double y = b.getDouble();
        if (z) {
            double zv = b.getDouble();
            return length >= 36 ? new Point(x, y, zv, b.getDouble()) : new Point(x, y, zv);
        }
        if (m) {
            Point p = new Point(false, true, x, y);
            p.setM(b.getDouble());
            return p;
        }
        return new Point(x, y);
    }

    private static MultiPoint multiPoint(ByteBuffer b, boolean z, boolean m) {
        b.position(b.position() + 32);
        int n = b.getInt();
        List<Point> points = readPoints(b, n, z, m);
        MultiPoint out = new MultiPoint(z, m);
        points.forEach(out::addPoint);
        return out;
    }

    /** Parts of a polyline or polygon: their points (with Z and M read after all X/Y, as the format stores them). */
    private static List<List<Point>> parts(ByteBuffer b, boolean z, boolean m) {
        b.position(b.position() + 32);
        int numParts = b.getInt();
        int numPoints = b.getInt();
        int[] starts = new int[numParts + 1];
        for (int i = 0; i < numParts; i++) {
            starts[i] = b.getInt();
        }
        starts[numParts] = numPoints;
        List<Point> points = readPoints(b, numPoints, z, m);
        List<List<Point>> parts = new ArrayList<>();
        for (int i = 0; i < numParts; i++) {
            parts.add(points.subList(starts[i], starts[i + 1]));
        }
        return parts;
    }

    private static List<Point> readPoints(ByteBuffer b, int n, boolean z, boolean m) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Point p = new Point(z, m, b.getDouble(), b.getDouble());
            points.add(p);
        }
        if (z) {
            b.position(b.position() + 16);
            points.forEach(p -> p.setZ(b.getDouble()));
        }
        if ((z || m) && b.remaining() >= 16 + 8L * n) {
            b.position(b.position() + 16);
            points.forEach(p -> {
                p.setM(b.getDouble());
                p.setHasM(true);
            });
        }
        return points;
    }

    private static mil.nga.sf.Geometry lines(ByteBuffer b, boolean z, boolean m) {
        List<List<Point>> parts = parts(b, z, m);
        if (parts.size() == 1) {
            return new LineString(new ArrayList<>(parts.getFirst()));
        }
        MultiLineString out = new MultiLineString(z, m);
        parts.forEach(p -> out.addLineString(new LineString(new ArrayList<>(p))));
        return out;
    }

    /**
     * Rings to polygons: the format lists outer rings clockwise, each followed by its holes (counter-clockwise), so a
     * clockwise ring starts a polygon and the others are holes of the polygon before them.
     */
    private static mil.nga.sf.Geometry polygons(ByteBuffer b, boolean z, boolean m) {
        List<Polygon> polygons = new ArrayList<>();
        for (List<Point> ring : parts(b, z, m)) {
            LineString r = new LineString(new ArrayList<>(ring));
            if (polygons.isEmpty() || clockwise(ring)) {
                Polygon p = new Polygon(z, m);
                p.addRing(r);
                polygons.add(p);
            } else {
                polygons.getLast().addRing(r);
            }
        }
        if (polygons.size() == 1) {
            return polygons.getFirst();
        }
        MultiPolygon out = new MultiPolygon(z, m);
        polygons.forEach(out::addPolygon);
        return out;
    }

    private static boolean clockwise(List<Point> ring) {
        double area = 0;
        for (int i = 0; i + 1 < ring.size(); i++) {
            area += ring.get(i).getX() * ring.get(i + 1).getY() - ring.get(i + 1).getX() * ring.get(i).getY();
        }
        return area < 0;
    }

    @Override
    public List<Map<String, Object>> find(String pk) throws DeltaFailure {
        throw readOnly();
    }

    @Override
    public String insert(Map<String, Object> attributes, String wkt) throws DeltaFailure {
        throw readOnly();
    }

    @Override
    public void update(String pk, Map<String, Object> attributes, FeatureLayer.Geometry geometry) throws DeltaFailure {
        throw readOnly();
    }

    @Override
    public void delete(String pk) throws DeltaFailure {
        throw readOnly();
    }

    /** An edit of a shapefile fails that delta, as any delta that cannot be applied, without stopping the job. */
    private DeltaFailure readOnly() {
        return new DeltaFailure("\"" + shp.getFileName() + "\" is a shapefile; FieldCloud packages shapefiles but edits GeoPackage, GeoJSON and CSV files.");
    }

    @Override
    public void commit() {
        // nothing is ever written
    }

    @Override
    public void rollback() {
        // nothing is ever written
    }

    @Override
    public void close() {
        // streams are opened and closed by each scan
    }
}
