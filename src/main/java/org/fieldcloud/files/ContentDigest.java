package org.fieldcloud.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Size, sha256 and the S3-style ETag of a stream, computed while it passes through: up to 8 MiB the ETag is
 * the hex md5; above, the md5 of the concatenated binary md5s of the 8 MiB parts followed by {@code -<parts>}.
 *
 * <p>Hashing both digests costs more CPU than moving the bytes (md5 runs at about 850 MB/s on one core, sha256
 * at about 1.7 GB/s), so for large streams it does not run in the thread that reads: full 256 KiB chunks go to
 * two lanes of a shared pool, one per digest, each hashing its chunks in order while the reader goes on storing.
 * A stream is then bounded by the slower digest rather than by the sum of both plus the I/O. Memory stays
 * bounded: a stream has at most {@link #IN_FLIGHT} chunks out and all streams together {@link #ALL_IN_FLIGHT};
 * past that, and for the last partial chunk, the reader hashes the bytes itself once its lanes have caught up.
 */
final class ContentDigest extends FilterInputStream {

    static final long PART_SIZE = 8L * 1024 * 1024;
    private static final int CHUNK = 256 * 1024;
    private static final int IN_FLIGHT = 8;
    private static final int ALL_IN_FLIGHT = 64;

    private static final ExecutorService LANES = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().daemon().name("content-digest-", 0).factory());
    /** Package-visible so that a test can spend it and make readers hash for themselves. */
    static final Semaphore ALL_CHUNKS_OUT = new Semaphore(ALL_IN_FLIGHT);
    private static final ArrayBlockingQueue<byte[]> FREE_CHUNKS = new ArrayBlockingQueue<>(ALL_IN_FLIGHT);

    private final Sha256Lane sha256 = new Sha256Lane();
    private final EtagLane etag = new EtagLane();
    private final Semaphore chunksOut = new Semaphore(IN_FLIGHT);
    private CompletableFuture<Void> sha256Done = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> etagDone = CompletableFuture.completedFuture(null);
    private volatile Throwable laneFailure;
    private byte[] chunk;
    private int chunkLength;
    private long size;
    private boolean finished;

    ContentDigest(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("every byte must be digested");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    void update(byte[] b, int off, int len) {
        size += len;
        while (len > 0) {
            if (chunk == null) {
                chunk = freeChunk();
                chunkLength = 0;
            }
            int take = Math.min(len, CHUNK - chunkLength);
            System.arraycopy(b, off, chunk, chunkLength, take);
            chunkLength += take;
            off += take;
            len -= take;
            if (chunkLength == CHUNK) {
                handOff();
            }
        }
    }

    long size() {
        return size;
    }

    /** Call after the stream has been read to its end. */
    String sha256Hex() {
        finish();
        return sha256.hex;
    }

    /** Call after the stream has been read to its end. */
    String etag() {
        finish();
        return etag.value;
    }

    private void handOff() {
        byte[] bytes = chunk;
        int length = chunkLength;
        chunk = null;
        chunksOut.acquireUninterruptibly();
        if (!ALL_CHUNKS_OUT.tryAcquire()) {
            chunksOut.release();
            hashHere(bytes, length);
            return;
        }
        AtomicInteger lanesLeft = new AtomicInteger(2);
        Runnable laneDone = () -> {
            if (lanesLeft.decrementAndGet() == 0) {
                FREE_CHUNKS.offer(bytes);
                ALL_CHUNKS_OUT.release();
                chunksOut.release();
            }
        };
        sha256Done = sha256Done.thenRunAsync(() -> inLane(() -> sha256.update(bytes, 0, length), laneDone), LANES);
        etagDone = etagDone.thenRunAsync(() -> inLane(() -> etag.update(bytes, 0, length), laneDone), LANES);
    }

    /** A lane never completes exceptionally, so the chunks after a failure are still released. */
    private void inLane(Runnable hashing, Runnable laneDone) {
        try {
            hashing.run();
        } catch (RuntimeException | Error e) {
            laneFailure = e;
        } finally {
            laneDone.run();
        }
    }

    /** Hashes a chunk in the reading thread, after the lanes are done with the bytes before it. */
    private void hashHere(byte[] bytes, int length) {
        awaitLanes();
        sha256.update(bytes, 0, length);
        etag.update(bytes, 0, length);
        FREE_CHUNKS.offer(bytes);
    }

    private void finish() {
        if (finished) {
            return;
        }
        if (chunk != null) {
            hashHere(chunk, chunkLength);
            chunk = null;
        }
        awaitLanes();
        if (laneFailure != null) {
            throw new IllegalStateException("Hashing the upload failed", laneFailure);
        }
        sha256.close();
        etag.close();
        finished = true;
    }

    private void awaitLanes() {
        sha256Done.join();
        etagDone.join();
    }

    private static byte[] freeChunk() {
        byte[] free = FREE_CHUNKS.poll();
        return free != null ? free : new byte[CHUNK];
    }

    /** Lane state is only touched by one task at a time, in order; join() publishes it to the reader. */
    private static final class Sha256Lane {
        private final MessageDigest digest = digest("SHA-256");
        private String hex;

        void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        void close() {
            hex = HexFormat.of().formatHex(digest.digest());
        }
    }

    private static final class EtagLane {
        private final MessageDigest partMd5 = digest("MD5");
        private final MessageDigest md5OfParts = digest("MD5");
        private byte[] lastPartDigest;
        private long inPart;
        private int parts;
        private String value;

        void update(byte[] b, int off, int len) {
            while (len > 0) {
                int take = (int) Math.min(len, PART_SIZE - inPart);
                partMd5.update(b, off, take);
                inPart += take;
                off += take;
                len -= take;
                if (inPart == PART_SIZE) {
                    closePart();
                }
            }
        }

        void close() {
            if (inPart > 0 || parts == 0) {
                closePart();
            }
            value = parts == 1 ? HexFormat.of().formatHex(lastPartDigest)
                    : HexFormat.of().formatHex(md5OfParts.digest()) + "-" + parts;
        }

        private void closePart() {
            lastPartDigest = partMd5.digest();
            md5OfParts.update(lastPartDigest);
            parts++;
            inPart = 0;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
