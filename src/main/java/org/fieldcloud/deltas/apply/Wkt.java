package org.fieldcloud.deltas.apply;

import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.Ordinate;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.io.WKTWriter;

/**
 * Delta geometries: WKT as QField writes it ({@code POINTZ (1 0 nan)}, {@code PointZM (...)}), with {@code nan}
 * read as 0 (as QGIS does) and checked by parsing, then written back as ISO WKT ({@code POINT Z (...)}) with the
 * same ordinates as given — a 2D geometry stays 2D.
 */
final class Wkt {

    private static final Pattern NAN = Pattern.compile("(?i)\\bnan\\b");
    private static final Pattern TYPE = Pattern.compile("(?i)^\\s*([A-Z]+?)\\s*(ZM|Z|M)?\\s*(\\(|EMPTY)");

    private Wkt() { }

    private static final Pattern TUPLE = Pattern.compile("(?<=[(,])\\s*(-?[0-9.eE+-]+(?:\\s+-?[0-9.eE+-]+)*)\\s*(?=[),])");

    /** QField may tag a geometry Z or ZM but send fewer ordinates ({@code POINTZM (666 0)}); missing ones are 0. */
    private static String pad(String body, int ordinates) {
        Matcher m = TUPLE.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String tuple = m.group(1).trim();
            int have = tuple.split("\\s+").length;
            int missing = have < 2 ? 0 : Math.max(0, ordinates - have);
            m.appendReplacement(out, Matcher.quoteReplacement(tuple + " 0".repeat(missing)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String normalize(String raw) throws DeltaFailure {
        String text = raw.trim();
        // A stray trailing quote occurs in real deltafiles (reference test data); it carries no meaning.
        while (text.endsWith("'")) {
            text = text.substring(0, text.length() - 1).trim();
        }
        if (text.isEmpty()) {
            throw new DeltaFailure("Empty WKT string!");
        }
        text = NAN.matcher(text).replaceAll("0");
        Matcher type = TYPE.matcher(text);
        if (!type.find()) {
            throw new DeltaFailure("Null geometry from wkt=" + raw);
        }
        String suffix = type.group(2) == null ? "" : type.group(2).toUpperCase();
        int tupleSize = 2 + suffix.length();
        String iso = type.group(1).toUpperCase() + (suffix.isEmpty() ? "" : " " + suffix) + " " + pad(text.substring(type.start(3)), tupleSize);
        try {
            Geometry g = new WKTReader().read(iso);
            EnumSet<Ordinate> ordinates = EnumSet.of(Ordinate.X, Ordinate.Y);
            if (suffix.contains("Z")) ordinates.add(Ordinate.Z);
            if (suffix.contains("M")) ordinates.add(Ordinate.M);
            WKTWriter writer = new WKTWriter(ordinates.size());
            writer.setOutputOrdinates(ordinates);
            return writer.write(g);
        } catch (ParseException | IllegalArgumentException e) {
            throw new DeltaFailure("Null geometry from wkt=" + raw + " (" + e.getMessage() + ")");
        }
    }
}
