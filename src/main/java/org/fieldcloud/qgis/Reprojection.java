package org.fieldcloud.qgis;

import java.util.Optional;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/** Coordinates from one CRS (an authid such as {@code EPSG:2056}) to another, with proj4j's EPSG definitions. */
public final class Reprojection {

    private static final CRSFactory CRS = new CRSFactory();
    private final CoordinateTransform transform;

    private Reprojection(CoordinateTransform transform) {
        this.transform = transform;
    }

    /** Empty when either CRS is unknown here (then callers leave the value out rather than guess). */
    public static Optional<Reprojection> between(String fromAuthid, String toAuthid) {
        try {
            CoordinateReferenceSystem from = CRS.createFromName(fromAuthid.trim());
            CoordinateReferenceSystem to = CRS.createFromName(toAuthid.trim());
            return Optional.of(new Reprojection(new CoordinateTransformFactory().createTransform(from, to)));
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
    }

    /** The point in the target CRS; empty when it cannot be transformed (e.g. outside the projection's domain). */
    public Optional<double[]> apply(double x, double y) {
        try {
            ProjCoordinate out = transform.transform(new ProjCoordinate(x, y), new ProjCoordinate());
            return Double.isFinite(out.x) && Double.isFinite(out.y) ? Optional.of(new double[] {out.x, out.y}) : Optional.empty();
        } catch (RuntimeException outside) {
            return Optional.empty();
        }
    }
}
