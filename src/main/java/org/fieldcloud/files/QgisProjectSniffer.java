package org.fieldcloud.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the QGIS version from the opening {@code <qgis version="X.Y.Z...">} element of an uploaded project,
 * treating the upload as hostile: no DTDs or external entities, and a {@code .qgz} is read as a stream with
 * bounds on entry count, on uncompressed bytes and on the compression ratio (a zip bomb cannot make us inflate
 * more than the configured project-file size). Only the root element is parsed, as in the reference.
 */
final class QgisProjectSniffer {

    static final int MAX_ENTRIES = 10_000;
    static final long MAX_RATIO = 200;
    private static final Pattern VERSION = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)");

    interface Source {
        InputStream open() throws IOException;
    }

    private QgisProjectSniffer() { }

    /** The X.Y.Z version, or empty when the content is not a QGIS project. */
    static Optional<String> version(String filename, Source source, long maxProjectBytes) throws IOException {
        if (FileNames.isQgz(filename)) {
            Optional<String> inner = innerProjectName(filename, source, maxProjectBytes);
            if (inner.isEmpty()) {
                return Optional.empty();
            }
            try (ZipInputStream zip = new ZipInputStream(source.open())) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    if (e.getName().equals(inner.get())) {
                        return rootVersion(new BoundedInputStream(zip, maxProjectBytes));
                    }
                }
            }
            return Optional.empty();
        }
        try (InputStream in = source.open()) {
            return rootVersion(new BoundedInputStream(in, maxProjectBytes));
        }
    }

    /** {@code <stem>.qgs} when present, else the first {@code *.qgs} in name order (reference rule). */
    private static Optional<String> innerProjectName(String filename, Source source, long maxInflated) throws IOException {
        List<String> names = new ArrayList<>();
        CountingInputStream raw = new CountingInputStream(source.open());
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry e;
            long inflated = 0;
            while ((e = zip.getNextEntry()) != null) {
                if (names.size() >= MAX_ENTRIES) {
                    return Optional.empty();
                }
                names.add(e.getName());
                inflated += zip.transferTo(java.io.OutputStream.nullOutputStream());
                if (inflated > MAX_RATIO * Math.max(raw.count, 64 * 1024)) {
                    return Optional.empty();
                }
                if (inflated > maxInflated) {
                    throw FileErrors.qgisTooLarge(filename, maxInflated);
                }
            }
        } catch (java.util.zip.ZipException e) {
            return Optional.empty();
        }
        String wanted = FileNames.stem(filename) + ".qgs";
        if (names.contains(wanted)) {
            return Optional.of(wanted);
        }
        return names.stream().filter(n -> n.toLowerCase(java.util.Locale.ROOT).endsWith(".qgs"))
                .sorted().findFirst();
    }

    private static Optional<String> rootVersion(InputStream in) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                        if (!"qgis".equals(reader.getLocalName())) {
                            return Optional.empty();
                        }
                        String version = reader.getAttributeValue(null, "version");
                        Matcher m = VERSION.matcher(version == null ? "" : version);
                        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
                    }
                }
                return Optional.empty();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
