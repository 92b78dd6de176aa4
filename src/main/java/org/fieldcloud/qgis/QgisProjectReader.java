package org.fieldcloud.qgis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads {@code .qgs} and {@code .qgz} files, which are uploaded by users and so hostile until proven otherwise:
 * XML without DTDs or external entities (no XXE, no entity expansion), and zip archives with bounds on entries,
 * sizes and compression ratio; only the project's {@code .qgs} entry is read, nothing is extracted to disk.
 */
public final class QgisProjectReader {

    static final int MAX_ENTRIES = 1_000;
    static final long MAX_RATIO = 200;

    private QgisProjectReader() { }

    public static QgisProject read(Path file) throws QgisProjectException {
        return read(file, QgisLimits.DEFAULT);
    }

    /** Reads a project file, refusing a {@code .qgs} (or a {@code .qgz} entry) beyond the limit before parsing it. */
    public static QgisProject read(Path file, QgisLimits limits) throws QgisProjectException {
        return parse(xmlOf(file, limits), file.getFileName().toString());
    }

    /**
     * The project's XML document, parsed by the same rules as {@link #read} (bounded, no DTD loading, no entities),
     * for a job that rewrites the project.
     */
    public static Document readDocument(Path file, QgisLimits limits) throws QgisProjectException {
        return document(xmlOf(file, limits), file.getFileName().toString());
    }

    private static byte[] xmlOf(Path file, QgisLimits limits) throws QgisProjectException {
        String name = file.getFileName().toString().toLowerCase();
        long max = limits.maxProjectFileBytes();
        requireWithinSizeLimit(file, max);
        try (InputStream in = Files.newInputStream(file)) {
            if (name.endsWith(".qgz")) {
                return qgsFromZip(in, file.getFileName().toString(), max);
            }
            if (name.endsWith(".qgs")) {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max));
            }
        } catch (IOException e) {
            throw new QgisProjectException("Project file \"" + file.getFileName() + "\" cannot be read: " + e.getMessage());
        }
        throw new QgisProjectException("\"" + file.getFileName() + "\" is not a QGIS project file (.qgs or .qgz).");
    }

    private static void requireWithinSizeLimit(Path file, long maxProjectFileBytes) throws QgisProjectException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new QgisProjectException("Project file \"" + file.getFileName() + "\" cannot be read: " + e.getMessage());
        }
        if (size > maxProjectFileBytes) {
            throw new QgisProjectException("Project file \"" + file.getFileName() + "\" is " + size + " bytes, more than the "
                    + maxProjectFileBytes + " bytes allowed (FIELDCLOUD_QGIS_MAX_PROJECT_FILE_BYTES); it was not parsed.");
        }
    }

    private static byte[] qgsFromZip(InputStream in, String fileName, long maxEntryBytes) throws IOException, QgisProjectException {
        String stem = fileName.substring(0, fileName.length() - 4);
        byte[] chosen = null;
        String chosenName = null;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new QgisProjectException("\"" + fileName + "\" has more than " + MAX_ENTRIES + " entries.");
                }
                String entryName = entry.getName();
                if (entryName.contains("..") || entryName.startsWith("/") || entryName.contains("\\")) {
                    throw new QgisProjectException("\"" + fileName + "\" holds an entry with an unsafe name: " + entryName);
                }
                if (!entryName.toLowerCase().endsWith(".qgs") || entryName.contains("/")) {
                    continue;
                }
                boolean preferred = entryName.equals(stem + ".qgs");
                if (chosen == null || preferred || (!chosenName.equals(stem + ".qgs") && entryName.compareTo(chosenName) < 0)) {
                    chosen = readBounded(zip, entry, fileName, maxEntryBytes);
                    chosenName = entryName;
                }
            }
        }
        if (chosen == null) {
            throw new QgisProjectException("\"" + fileName + "\" holds no .qgs project.");
        }
        return chosen;
    }

    private static byte[] readBounded(ZipInputStream zip, ZipEntry entry, String fileName, long maxEntryBytes) throws IOException,
            QgisProjectException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = zip.read(buffer)) > 0) {
            total += n;
            long compressed = entry.getCompressedSize();
            if (total > maxEntryBytes || (compressed > 0 && total > 1024 * 1024 && total / compressed > MAX_RATIO)) {
                throw new QgisProjectException("\"" + fileName + "\" entry " + entry.getName() + " expands beyond the allowed size or ratio.");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static Document document(byte[] xml, String fileName) throws QgisProjectException {
        Document doc;
        try {
            doc = safeBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new QgisProjectException("Project file \"" + fileName + "\" is not valid XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new QgisProjectException("Project file \"" + fileName + "\" cannot be parsed: " + e.getMessage());
        }
        if (doc.getDoctype() != null && doc.getDoctype().getEntities().getLength() > 0) {
            // QGIS never declares entities; a file that does is built to expand them (a "billion laughs").
            throw new QgisProjectException("Project file \"" + fileName + "\" declares XML entities in its DOCTYPE; QGIS project files never do.");
        }
        if (!"qgis".equals(doc.getDocumentElement().getTagName())) {
            throw new QgisProjectException("Project file \"" + fileName + "\" has no <qgis> root element.");
        }
        return doc;
    }

    static QgisProject parse(byte[] xml, String fileName) throws QgisProjectException {
        Element root = document(xml, fileName).getDocumentElement();
        String version = root.getAttribute("version");
        String qgisVersion = version.matches("^\\d+\\.\\d+\\.\\d+.*") ? version.replaceAll("^(\\d+\\.\\d+\\.\\d+).*", "$1") : version;
        List<QgisLayer> layers = new ArrayList<>();
        for (Element layer : descendants(root, "maplayer")) {
            if (text(layer, "id") == null) {
                continue;
            }
            layers.add(new QgisLayer(text(layer, "id"), text(layer, "layername"), layer.getAttribute("type"), text(layer, "provider"),
                    text(layer, "datasource"), layer.getAttribute("geometry"), layer.getAttribute("wkbType"),
                    textPath(layer, "srs", "spatialrefsys", "authid"), customProperties(layer)));
        }
        List<String> attachmentDirs = new ArrayList<>();
        for (Element dirs : descendants(root, "attachmentDirs")) {
            for (Element v : descendants(dirs, "value")) {
                attachmentDirs.add(v.getTextContent());
            }
        }
        if (attachmentDirs.isEmpty()) {
            attachmentDirs.add("DCIM");
        }
        return new QgisProject(qgisVersion, firstText(root, "title"), textPath(root, "projectCrs", "spatialrefsys", "authid"),
                List.copyOf(layers), List.copyOf(attachmentDirs));
    }

    private static DocumentBuilder safeBuilder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // QGIS writes a DOCTYPE, so DTDs are tolerated, but never loaded, and entities are not expanded beyond a few.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/entityExpansionLimit", "100");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b;
    }

    private static Map<String, String> customProperties(Element layer) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element props : children(layer, "customproperties")) {
            for (Element option : descendants(props, "Option")) {
                if (!option.getAttribute("name").isEmpty() && option.hasAttribute("value")) {
                    out.put(option.getAttribute("name"), option.getAttribute("value"));
                }
            }
            for (Element property : descendants(props, "property")) {
                out.put(property.getAttribute("key"), property.getAttribute("value"));
            }
        }
        return out;
    }

    private static List<Element> descendants(Element e, String tag) {
        NodeList list = e.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) out.add((Element) list.item(i));
        return out;
    }

    private static List<Element> children(Element e, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) out.add(c);
        }
        return out;
    }

    private static String text(Element e, String tag) {
        List<Element> c = children(e, tag);
        return c.isEmpty() ? null : c.get(0).getTextContent();
    }

    private static String firstText(Element e, String tag) {
        List<Element> c = descendants(e, tag);
        return c.isEmpty() ? "" : c.get(0).getTextContent();
    }

    private static String textPath(Element e, String... path) {
        Element current = e;
        for (String step : path) {
            List<Element> c = children(current, step);
            if (c.isEmpty()) return "";
            current = c.get(0);
        }
        return current.getTextContent();
    }
}
