package org.fieldcloud.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Blobs as files under a root directory. Writes go to {@code .incoming/} and are renamed into place when
 * complete, so a blob path never holds a partial file.
 */
final class LocalBlobStore implements BlobStore {

    private static final int COPY_BUFFER = 256 * 1024;

    private final Path root;
    private final Path incoming;

    LocalBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.incoming = this.root.resolve(".incoming");
        Files.createDirectories(incoming);
    }

    /**
     * Writes the blob durably: its bytes are forced to disk before it is renamed into place, and the rename is
     * forced too, so a version the database lists survives a power loss, not only a killed process.
     */
    @Override
    public void write(String key, InputStream content) throws IOException {
        Path temp = incoming.resolve(UUID.randomUUID().toString());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[COPY_BUFFER];
                int n;
                while ((n = content.read(buffer)) >= 0) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.force(true);
            }
            Path target = path(key);
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public InputStream read(String key, long start, long endInclusive) throws IOException {
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
        channel.position(start);
        return new BoundedInputStream(Channels.newInputStream(channel), endInclusive - start + 1);
    }

    @Override
    public Optional<Path> localFile(String key) {
        return Optional.of(path(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public void sweepIncomplete(Instant startedBefore) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(startedBefore)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Keys are made by the server, but a key that would leave the root is refused all the same. */
    private Path path(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.startsWith(incoming)) {
            throw new IllegalArgumentException("storage key outside the storage root");
        }
        return p;
    }
}
