package org.fieldcloud.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Storage of immutable blobs under keys chosen by the server. Implementations stream in both directions:
 * memory use does not depend on the blob size.
 */
public interface BlobStore {

    /** Stores the stream's bytes until its end under {@code key}; the blob exists only once this returns. */
    void write(String key, InputStream content) throws IOException;

    /** The bytes {@code start..endInclusive} of the blob. */
    InputStream read(String key, long start, long endInclusive) throws IOException;

    /** The whole blob. Both stores treat a range end past the blob as its end. */
    default InputStream readWhole(String key) throws IOException {
        return read(key, 0, Long.MAX_VALUE - 1);
    }

    /** The blob as a file on this machine, for stores that have one: downloads then go out by sendfile. */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /** Removes the blob; a missing blob is not an error. */
    void delete(String key) throws IOException;

    /** Drops partial writes (temporary files, unfinished multipart uploads) begun before {@code startedBefore}. */
    void sweepIncomplete(Instant startedBefore) throws IOException;
}
