package org.fieldcloud.packaging;

import java.util.List;
import mil.nga.sf.Geometry;
import mil.nga.sf.GeometryCollection;
import mil.nga.sf.GeometryType;
import mil.nga.sf.LineString;
import mil.nga.sf.MultiLineString;
import mil.nga.sf.MultiPoint;
import mil.nga.sf.MultiPolygon;
import mil.nga.sf.Point;
import mil.nga.sf.Polygon;

/**
 * Geometries converted to the type their packaged layer declares, as QGIS does when it copies features: a single
 * part becomes a one-part multi geometry and a one-part multi geometry a single part. Anything else cannot be
 * converted and the feature is skipped.
 */
final class Geometries {

    private Geometries() { }

    /** The geometry as {@code target}, or null when it cannot be converted; {@code target} null or GEOMETRY takes anything. */
    static Geometry as(Geometry g, GeometryType target) {
        if (g == null || target == null || target == GeometryType.GEOMETRY || g.getGeometryType() == target) {
            return g;
        }
        return switch (target) {
            case MULTIPOINT -> g instanceof Point p ? multi(new MultiPoint(p.hasZ(), p.hasM()), p) : null;
            case MULTILINESTRING -> g instanceof LineString l ? multi(new MultiLineString(l.hasZ(), l.hasM()), l) : null;
            case MULTIPOLYGON -> g instanceof Polygon p ? multi(new MultiPolygon(p.hasZ(), p.hasM()), p) : null;
            case POINT, LINESTRING, POLYGON -> single(g, target);
            default -> null;
        };
    }

    private static <T extends Geometry> Geometry multi(GeometryCollection<T> multi, T part) {
        multi.setGeometries(new java.util.ArrayList<>(List.of(part)));
        return multi;
    }

    private static Geometry single(Geometry g, GeometryType target) {
        if (g instanceof GeometryCollection<?> c && c.numGeometries() == 1 && c.getGeometry(0).getGeometryType() == target) {
            return c.getGeometry(0);
        }
        return null;
    }

    /** The geometry type a QGIS {@code wkbType} names ({@code MultiPolygonZ} → MULTIPOLYGON); null for none or unknown. */
    static GeometryType typeOf(String wkbType) {
        if (wkbType == null || wkbType.isBlank() || wkbType.equalsIgnoreCase("NoGeometry")) {
            return null;
        }
        String base = wkbType.replaceFirst("(25D|ZM|Z|M)$", "").toUpperCase(java.util.Locale.ROOT);
        try {
            return GeometryType.valueOf(base);
        } catch (IllegalArgumentException e) {
            return GeometryType.GEOMETRY;
        }
    }

    static boolean hasZ(String wkbType) {
        return wkbType != null && (wkbType.endsWith("Z") || wkbType.endsWith("ZM") || wkbType.endsWith("25D"));
    }

    static boolean hasM(String wkbType) {
        return wkbType != null && wkbType.endsWith("M");
    }
}
