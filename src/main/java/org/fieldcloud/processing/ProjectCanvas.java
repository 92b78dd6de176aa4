package org.fieldcloud.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fieldcloud.qgis.Reprojection;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a project file says about its map (reference-api-jobs §4.2): the canvas extent and its CRS, the background
 * colour, the data directories and the area of interest, and how to express an extent in WGS 84.
 */
record ProjectCanvas(double[] extent, String crs, int[] background, List<String> dataDirs, double[] areaOfInterest, String areaOfInterestCrs) {

    static ProjectCanvas of(Document doc, String projectCrs) {
        Element root = doc.getDocumentElement();
        Element canvas = null;
        for (Element c : elements(root, "mapcanvas")) {
            if ("theMapCanvas".equals(c.getAttribute("name"))) {
                canvas = c;
                break;
            }
        }
        double[] extent = canvas == null ? null : box(first(canvas, "extent"));
        String crs = canvas == null ? null : text(first(canvas, "destinationsrs"), "authid");
        int[] background = {number(root, "CanvasColorRedPart", 255), number(root, "CanvasColorGreenPart", 255), number(root, "CanvasColorBluePart", 255)};
        List<String> dataDirs = new ArrayList<>();
        Element dirs = first(root, "dataDirs");
        if (dirs != null) {
            elements(dirs, "value").forEach(v -> dataDirs.add(v.getTextContent()));
        }
        Element qfieldsync = first(root, "qfieldsync");
        double[] aoi = null;
        String aoiCrs = null;
        if (qfieldsync != null && text(qfieldsync, "areaOfInterest") != null) {
            aoi = wktBox(text(qfieldsync, "areaOfInterest"));
            aoiCrs = text(qfieldsync, "areaOfInterestCrs");
        }
        return new ProjectCanvas(extent, crs == null || crs.isBlank() ? projectCrs : crs, background, dataDirs, aoi, aoiCrs);
    }

    String backgroundHex() {
        return String.format("#%02x%02x%02x", background[0], background[1], background[2]);
    }

    /** A usable extent: finite and not empty. */
    static boolean usable(double[] box) {
        return box != null && box.length == 4 && java.util.Arrays.stream(box).allMatch(Double::isFinite) && box[2] > box[0] && box[3] > box[1];
    }

    /**
     * The extent in WGS 84 as {@code POLYGON((xmin ymin, xmax ymin, xmax ymax, xmin ymax, xmin ymin))}: the bounding
     * box of its edges, each reprojected at 21 points, since straight edges bend in another CRS. Empty when the CRS
     * is unknown here or a point falls outside what the projection covers.
     */
    static String wgs84Polygon(double[] box, String crs) {
        if (!usable(box) || crs == null || crs.isBlank()) {
            return "";
        }
        Optional<Reprojection> toWgs84 = crs.equalsIgnoreCase("EPSG:4326") ? Optional.empty() : Reprojection.between(crs, "EPSG:4326");
        if (!crs.equalsIgnoreCase("EPSG:4326") && toWgs84.isEmpty()) {
            return "";
        }
        double[] out = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int steps = 20;
        for (int i = 0; i <= steps; i++) {
            double fx = box[0] + (box[2] - box[0]) * i / steps;
            double fy = box[1] + (box[3] - box[1]) * i / steps;
            for (double[] p : new double[][] {{fx, box[1]}, {fx, box[3]}, {box[0], fy}, {box[2], fy}}) {
                Optional<double[]> q = toWgs84.isEmpty() ? Optional.of(p) : toWgs84.get().apply(p[0], p[1]);
                if (q.isEmpty() || Math.abs(q.get()[0]) > 180 || Math.abs(q.get()[1]) > 90) {
                    return "";
                }
                out[0] = Math.min(out[0], q.get()[0]);
                out[1] = Math.min(out[1], q.get()[1]);
                out[2] = Math.max(out[2], q.get()[0]);
                out[3] = Math.max(out[3], q.get()[1]);
            }
        }
        return "POLYGON((" + out[0] + " " + out[1] + ", " + out[2] + " " + out[1] + ", " + out[2] + " " + out[3] + ", " + out[0] + " " + out[3]
                + ", " + out[0] + " " + out[1] + "))";
    }

    private static double[] box(Element extent) {
        if (extent == null) {
            return null;
        }
        try {
            return new double[] {Double.parseDouble(text(extent, "xmin")), Double.parseDouble(text(extent, "ymin")),
                    Double.parseDouble(text(extent, "xmax")), Double.parseDouble(text(extent, "ymax"))};
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    /** The bounding box of a WKT geometry's coordinates (an area of interest is a polygon). */
    private static double[] wktBox(String wkt) {
        try {
            org.locationtech.jts.geom.Envelope e = new org.locationtech.jts.io.WKTReader().read(wkt).getEnvelopeInternal();
            return e.isNull() ? null : new double[] {e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()};
        } catch (org.locationtech.jts.io.ParseException ex) {
            return null;
        }
    }

    private static int number(Element root, String tag, int fallback) {
        Element e = first(root, tag);
        try {
            return e == null ? fallback : Math.max(0, Math.min(255, Integer.parseInt(e.getTextContent().trim())));
        } catch (NumberFormatException ex) {
            return fallback;
        }
    }

    private static Element first(Element root, String tag) {
        if (root == null) {
            return null;
        }
        NodeList list = root.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String text(Element root, String tag) {
        Element e = first(root, tag);
        return e == null ? null : e.getTextContent().trim();
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList list = root.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }
}
