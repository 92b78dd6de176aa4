package org.fieldcloud.processing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import mil.nga.sf.Geometry;
import mil.nga.sf.GeometryCollection;
import mil.nga.sf.LineString;
import mil.nga.sf.Point;
import mil.nga.sf.Polygon;
import org.fieldcloud.qgis.Reprojection;

/**
 * A 100×100 PNG preview of a project (the reference's thumbnail size), drawn with java.awt (headless): the canvas
 * extent, or the extent of the drawn features when the canvas has none, on the project's background colour, each
 * vector layer in its own colour. Features are reprojected into the project's CRS. Only a bounded number of features
 * per layer is kept, so a preview costs little whatever the data's size.
 */
final class ThumbnailRenderer {

    static final int SIZE = 100;
    static final int MAX_FEATURES_PER_LAYER = 20_000;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    /** Shapes of one layer in the project's CRS, as coordinate paths. */
    private final List<List<Path2D.Double>> layers = new ArrayList<>();
    private final List<List<double[]>> points = new ArrayList<>();
    private final double[] bounds = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    private final String projectCrs;

    ThumbnailRenderer(String projectCrs) {
        this.projectCrs = projectCrs;
    }

    /** A sink for one layer's features in {@code layerCrs}; features beyond the bound are ignored. */
    Layer layer(String layerCrs) {
        Optional<Reprojection> reprojection = layerCrs == null || layerCrs.isBlank() || projectCrs == null || projectCrs.isBlank()
                || layerCrs.equalsIgnoreCase(projectCrs) ? Optional.empty() : Reprojection.between(layerCrs, projectCrs);
        List<Path2D.Double> shapes = new ArrayList<>();
        List<double[]> pts = new ArrayList<>();
        layers.add(shapes);
        points.add(pts);
        return new Layer(reprojection, shapes, pts);
    }

    final class Layer {
        private final Optional<Reprojection> reprojection;
        private final List<Path2D.Double> shapes;
        private final List<double[]> pts;
        private int count;

        private Layer(Optional<Reprojection> reprojection, List<Path2D.Double> shapes, List<double[]> pts) {
            this.reprojection = reprojection;
            this.shapes = shapes;
            this.pts = pts;
        }

        void add(Geometry g) {
            if (g == null || count++ >= MAX_FEATURES_PER_LAYER) {
                return;
            }
            switch (g) {
                case Point p -> xy(p).ifPresent(pts::add);
                case LineString l -> shapes.add(path(l.getPoints(), false, null));
                case Polygon polygon -> {
                    Path2D.Double path = null;
                    for (LineString ring : polygon.getRings()) {
                        path = path(ring.getPoints(), true, path);
                    }
                    if (path != null) {
                        shapes.add(path);
                    }
                }
                case GeometryCollection<?> c -> c.getGeometries().forEach(part -> {
                    count--;
                    add(part);
                });
                default -> { }
            }
        }

        private Path2D.Double path(List<Point> coordinates, boolean closed, Path2D.Double into) {
            Path2D.Double path = into == null ? new Path2D.Double(Path2D.WIND_EVEN_ODD) : into;
            boolean first = true;
            for (Point p : coordinates) {
                Optional<double[]> xy = xy(p);
                if (xy.isEmpty()) {
                    continue;
                }
                if (first) {
                    path.moveTo(xy.get()[0], xy.get()[1]);
                    first = false;
                } else {
                    path.lineTo(xy.get()[0], xy.get()[1]);
                }
            }
            if (closed && !first) {
                path.closePath();
            }
            return path;
        }

        private Optional<double[]> xy(Point p) {
            Optional<double[]> xy = reprojection.isEmpty() ? Optional.of(new double[] {p.getX(), p.getY()}) : reprojection.get().apply(p.getX(), p.getY());
            xy.ifPresent(c -> {
                bounds[0] = Math.min(bounds[0], c[0]);
                bounds[1] = Math.min(bounds[1], c[1]);
                bounds[2] = Math.max(bounds[2], c[0]);
                bounds[3] = Math.max(bounds[3], c[1]);
            });
            return xy;
        }
    }

    /** The extent of everything drawn, slightly enlarged so single points are not on the edge; null when nothing was. */
    double[] fullExtent() {
        if (bounds[0] > bounds[2]) {
            return null;
        }
        double pad = Math.max(Math.max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 0.05, 1e-6);
        return new double[] {bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad};
    }

    /** The PNG for {@code extent} (project CRS), or empty when the extent is not usable. */
    Optional<byte[]> render(double[] extent, int[] background) throws IOException {
        if (!ProjectCanvas.usable(extent)) {
            return Optional.empty();
        }
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(background[0], background[1], background[2]));
            g.fillRect(0, 0, SIZE, SIZE);
            double scale = Math.min(SIZE / (extent[2] - extent[0]), SIZE / (extent[3] - extent[1]));
            double offsetX = (SIZE - (extent[2] - extent[0]) * scale) / 2;
            double offsetY = (SIZE - (extent[3] - extent[1]) * scale) / 2;
            java.awt.geom.AffineTransform world = new java.awt.geom.AffineTransform(scale, 0, 0, -scale,
                    offsetX - extent[0] * scale, SIZE - offsetY + extent[1] * scale);
            for (int i = 0; i < layers.size(); i++) {
                Color color = PALETTE[i % PALETTE.length];
                draw(g, world, color, layers.get(i), points.get(i));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Optional.of(out.toByteArray());
    }

    private static void draw(Graphics2D g, java.awt.geom.AffineTransform world, Color color, List<Path2D.Double> shapes, List<double[]> pts) {
        g.setStroke(new BasicStroke(1f));
        for (Path2D.Double shape : shapes) {
            java.awt.Shape onScreen = world.createTransformedShape(shape);
            if (isClosed(shape)) {
                g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
                g.fill(onScreen);
            }
            g.setColor(color);
            g.draw(onScreen);
        }
        g.setColor(color);
        for (double[] p : pts) {
            java.awt.geom.Point2D s = world.transform(new java.awt.geom.Point2D.Double(p[0], p[1]), null);
            g.fill(new Ellipse2D.Double(s.getX() - 1.5, s.getY() - 1.5, 3, 3));
        }
    }

    private static boolean isClosed(Path2D.Double shape) {
        java.awt.geom.PathIterator it = shape.getPathIterator(null);
        double[] c = new double[6];
        while (!it.isDone()) {
            if (it.currentSegment(c) == java.awt.geom.PathIterator.SEG_CLOSE) {
                return true;
            }
            it.next();
        }
        return false;
    }
}
