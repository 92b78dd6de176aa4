package org.fieldcloud.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Edits the project's XML for QField: repoints layers, sets the QFieldSync custom properties, drops removed layers,
 * and writes {@code <stem>_qfield.qgz}. Everything it does not touch (styles, forms, relations, layouts) is kept as
 * it was, since the document is edited in place.
 */
final class ProjectRewriter {

    /** The DOCTYPE line QGIS writes; the packaged project starts with it as the reference's does. */
    static final String DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>";

    private final Document doc;

    ProjectRewriter(Document doc) {
        this.doc = doc;
    }

    /** The project's data directories ({@code QFieldSync/dataDirs}), which travel with the package. */
    List<String> dataDirs() {
        List<String> dirs = new ArrayList<>();
        for (Element list : elements(doc.getDocumentElement(), "dataDirs")) {
            elements(list, "value").forEach(v -> dirs.add(v.getTextContent().trim()));
        }
        return dirs;
    }

    /** The {@code <maplayer>} element of a layer id, or null. */
    Element mapLayer(String layerId) {
        for (Element layer : elements(doc.getDocumentElement(), "maplayer")) {
            if (layerId.equals(childText(layer, "id"))) {
                return layer;
            }
        }
        return null;
    }

    /** Removes a layer from the project and from the layer tree and legend. */
    void remove(String layerId) {
        Element layer = mapLayer(layerId);
        if (layer != null) {
            layer.getParentNode().removeChild(layer);
        }
        for (String tag : List.of("layer-tree-layer", "legendlayerfile")) {
            for (Element e : elements(doc.getDocumentElement(), tag)) {
                if (layerId.equals(e.getAttribute("id")) || layerId.equals(e.getAttribute("layerid"))) {
                    Node parent = e.getParentNode();
                    parent.removeChild(e);
                    if ("legendlayerfile".equals(tag) && parent instanceof Element p && elements(p, "legendlayerfile").isEmpty()) {
                        removeEnclosingLegendLayer(p);
                    }
                }
            }
        }
    }

    private static void removeEnclosingLegendLayer(Element filegroup) {
        Node legendLayer = filegroup.getParentNode();
        if (legendLayer != null && legendLayer.getParentNode() != null) {
            legendLayer.getParentNode().removeChild(legendLayer);
        }
    }

    /** Points a layer at a new datasource and provider, in the map layer and in the layer tree. */
    void repoint(String layerId, String datasource, String provider) {
        Element layer = mapLayer(layerId);
        setChildText(layer, "datasource", datasource);
        setChildText(layer, "provider", provider);
        for (Element e : elements(doc.getDocumentElement(), "layer-tree-layer")) {
            if (layerId.equals(e.getAttribute("id"))) {
                e.setAttribute("source", datasource);
                e.setAttribute("providerKey", provider);
            }
        }
    }

    /**
     * Hides a field in the layer's form (the offline table's own {@code fid}, which the original layer did not have),
     * as QGIS's offline editing does.
     */
    void hideField(String layerId, String field) {
        Element layer = mapLayer(layerId);
        Element configuration = child(layer, "fieldConfiguration");
        if (configuration == null) {
            configuration = doc.createElement("fieldConfiguration");
            layer.appendChild(configuration);
        }
        removeMatching(configuration, "field", "name", field);
        Element entry = doc.createElement("field");
        entry.setAttribute("name", field);
        Element widget = doc.createElement("editWidget");
        widget.setAttribute("type", "Hidden");
        Element config = doc.createElement("config");
        config.appendChild(doc.createElement("Option"));
        widget.appendChild(config);
        entry.appendChild(widget);
        configuration.appendChild(entry);
    }

    /** Removes layer-tree groups left without any layer, innermost first (the reference's packages have none). */
    void removeEmptyGroups() {
        List<Element> groups = elements(doc.getDocumentElement(), "layer-tree-group");
        for (int i = groups.size() - 1; i >= 0; i--) {
            Element group = groups.get(i);
            boolean root = group.getParentNode() == doc.getDocumentElement();
            if (!root && elements(group, "layer-tree-layer").isEmpty()) {
                group.getParentNode().removeChild(group);
            }
        }
    }

    void setReadOnly(String layerId) {
        mapLayer(layerId).setAttribute("readOnly", "1");
    }

    /**
     * Sets custom properties of a layer. QGIS reads either an {@code <Option type="Map">} (3.20 and later) or the older
     * {@code <property>} list, and ignores the list when an Option is present, so values go where QGIS will look.
     */
    void setProperties(String layerId, Map<String, String> properties) {
        Element layer = mapLayer(layerId);
        Element custom = child(layer, "customproperties");
        if (custom == null) {
            custom = doc.createElement("customproperties");
            layer.appendChild(custom);
        }
        Element map = child(custom, "Option");
        if (map != null) {
            map.setAttribute("type", "Map");
        }
        for (Map.Entry<String, String> p : properties.entrySet()) {
            if (map != null) {
                removeMatching(map, "Option", "name", p.getKey());
                Element option = doc.createElement("Option");
                option.setAttribute("name", p.getKey());
                option.setAttribute("type", "QString");
                option.setAttribute("value", p.getValue());
                map.appendChild(option);
            } else {
                removeMatching(custom, "property", "key", p.getKey());
                Element property = doc.createElement("property");
                property.setAttribute("key", p.getKey());
                property.setAttribute("value", p.getValue());
                custom.appendChild(property);
            }
        }
    }

    /** The project entry QField reads to find the offline database: {@code OfflineEditingPlugin/OfflineDbPath}. */
    void setOfflineDbPath(String path) {
        Element properties = child(doc.getDocumentElement(), "properties");
        if (properties == null) {
            properties = doc.createElement("properties");
            doc.getDocumentElement().appendChild(properties);
        }
        Element plugin = child(properties, "OfflineEditingPlugin");
        if (plugin == null) {
            plugin = doc.createElement("OfflineEditingPlugin");
            properties.appendChild(plugin);
        }
        Element entry = child(plugin, "OfflineDbPath");
        if (entry == null) {
            entry = doc.createElement("OfflineDbPath");
            plugin.appendChild(entry);
        }
        entry.setAttribute("type", "QString");
        entry.setTextContent(path);
    }

    /**
     * Value-relation widgets name their layer by id (unchanged) and by source and provider, which QGIS uses when the
     * id is not found: those follow the offline layers into the package.
     */
    void repointValueRelations(Map<String, String> newSourceById) {
        for (Element widget : elements(doc.getDocumentElement(), "editWidget")) {
            if (!"ValueRelation".equals(widget.getAttribute("type"))) {
                continue;
            }
            List<Element> options = elements(widget, "Option");
            String target = options.stream().filter(o -> "Layer".equals(o.getAttribute("name"))).map(o -> o.getAttribute("value")).findFirst().orElse(null);
            if (target == null || !newSourceById.containsKey(target)) {
                continue;
            }
            for (Element o : options) {
                switch (o.getAttribute("name")) {
                    case "LayerSource" -> o.setAttribute("value", newSourceById.get(target));
                    case "LayerProviderName" -> o.setAttribute("value", "ogr");
                    default -> { }
                }
            }
        }
    }

    /** Writes {@code <stem>_qfield.qgz} holding {@code <stem>_qfield.qgs}, which starts with QGIS's DOCTYPE line. */
    void writeQgz(Path qgz, String qgsName) throws IOException {
        String xml = serialize();
        try (OutputStream out = Files.newOutputStream(qgz); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(qgsName));
            zip.write((DOCTYPE + "\n" + xml).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        if (Files.size(qgz) == 0) {
            throw new IOException("The packaged project file came out empty.");
        }
    }

    private String serialize() throws IOException {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = factory.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc.getDocumentElement()), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IOException("Cannot write the packaged project: " + e.getMessage(), e);
        }
    }

    private static void removeMatching(Element parent, String tag, String attribute, String value) {
        for (Element e : children(parent, tag)) {
            if (value.equals(e.getAttribute(attribute))) {
                parent.removeChild(e);
            }
        }
    }

    private void setChildText(Element parent, String tag, String text) {
        Element c = child(parent, tag);
        if (c == null) {
            c = doc.createElement(tag);
            parent.appendChild(c);
        }
        c.setTextContent(text);
    }

    static Element child(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.getFirst();
    }

    static String childText(Element parent, String tag) {
        Element c = child(parent, tag);
        return c == null ? null : c.getTextContent();
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> elements(Element root, String tag) {
        NodeList list = root.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }
}
