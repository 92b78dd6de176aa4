package org.fieldcloud.packaging;

import java.util.Optional;
import java.util.function.Predicate;
import mil.nga.sf.Geometry;
import org.fieldcloud.qgis.Reprojection;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKTReader;
import org.w3c.dom.Element;

/**
 * The project's area of interest ({@code qfieldsync/areaOfInterest} in {@code areaOfInterestCrs}). Only when
 * {@code offlineCopyOnlyAoi} is on does it limit what goes offline: then a feature is exported when its geometry
 * intersects the area, reprojected into the layer's CRS. Features without geometry are always exported.
 */
final class AreaOfInterest {

    private static final AreaOfInterest EVERYWHERE = new AreaOfInterest(null, null);

    private final org.locationtech.jts.geom.Geometry area;
    private final String crs;

    private AreaOfInterest(org.locationtech.jts.geom.Geometry area, String crs) {
        this.area = area;
        this.crs = crs;
    }

    static AreaOfInterest of(Element projectRoot) {
        Element settings = first(projectRoot, "qfieldsync");
        if (settings == null || !"true".equalsIgnoreCase(text(settings, "offlineCopyOnlyAoi"))) {
            return EVERYWHERE;
        }
        String wkt = text(settings, "areaOfInterest");
        if (wkt == null || wkt.isBlank()) {
            return EVERYWHERE;
        }
        try {
            return new AreaOfInterest(new WKTReader().read(wkt), text(settings, "areaOfInterestCrs"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("The project's area of interest is not a valid WKT geometry: " + e.getMessage());
        }
    }

    /** Whether a feature of a layer in {@code layerCrs} goes into the package. */
    Predicate<Geometry> filterFor(String layerCrs) {
        if (area == null) {
            return g -> true;
        }
        org.locationtech.jts.geom.Geometry inLayerCrs = reprojected(layerCrs);
        PreparedGeometry prepared = PreparedGeometryFactory.prepare(inLayerCrs);
        WKBReader reader = new WKBReader();
        return g -> {
            try {
                return prepared.intersects(reader.read(mil.nga.sf.wkb.GeometryWriter.writeGeometry(g)));
            } catch (ParseException | java.io.IOException e) {
                return false;
            }
        };
    }

    private org.locationtech.jts.geom.Geometry reprojected(String layerCrs) {
        if (crs == null || crs.isBlank() || layerCrs == null || layerCrs.isBlank() || crs.equalsIgnoreCase(layerCrs)) {
            return area;
        }
        Optional<Reprojection> reprojection = Reprojection.between(crs, layerCrs);
        if (reprojection.isEmpty()) {
            throw new IllegalArgumentException("The area of interest (" + crs + ") cannot be reprojected to " + layerCrs + ".");
        }
        org.locationtech.jts.geom.Geometry copy = area.copy();
        copy.apply((Coordinate c) -> reprojection.get().apply(c.x, c.y).ifPresent(xy -> {
            c.x = xy[0];
            c.y = xy[1];
        }));
        copy.geometryChanged();
        return copy;
    }

    private static Element first(Element root, String tag) {
        var list = root.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String text(Element parent, String tag) {
        Element e = first(parent, tag);
        return e == null ? null : e.getTextContent().trim();
    }
}
