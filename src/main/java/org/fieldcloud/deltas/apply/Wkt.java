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
        String iso = type.group(1).toUpperCase() + (suffix.isEmpty() ? "" : " " + suffix) + " " + text.substring(type.start(3));
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
