package org.fieldcloud.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of an upload that lists md5 and sha256: the same work without HTTP, in one JVM. One thread reads the
 * source in 1 MiB chunks and writes each to the copy; two more threads compute MD5 and SHA-256 of the same chunks;
 * at the end the copy is forced to disk. Eight chunks are in flight at most, so memory stays flat.
 * Usage: UploadFloor SOURCE COPY; prints "floor MB/s" and the digests. Run by bench/files-throughput.sh.
 */
public final class UploadFloor {

    private static final int CHUNK = 1 << 20;
    private static final int IN_FLIGHT = 8;

    private record Chunk(byte[] bytes, int length, AtomicInteger pending) { }

    private static final Chunk END = new Chunk(new byte[0], -1, new AtomicInteger());

    public static void main(String[] args) throws Exception {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            free.add(new byte[CHUNK]);
        }
        Hasher md5 = new Hasher("MD5", free);
        Hasher sha256 = new Hasher("SHA-256", free);
        long t0 = System.nanoTime();
        long total = 0;
        md5.start();
        sha256.start();
        try (FileChannel in = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                byte[] buffer = free.take();
                ByteBuffer view = ByteBuffer.wrap(buffer);
                while (view.hasRemaining() && in.read(view) >= 0) {
                    // fill the chunk unless the file ends
                }
                int n = view.position();
                if (n == 0) {
                    break;
                }
                total += n;
                Chunk chunk = new Chunk(buffer, n, new AtomicInteger(3));
                md5.chunks.put(chunk);
                sha256.chunks.put(chunk);
                out.write(ByteBuffer.wrap(buffer, 0, n));
                release(chunk, free);
            }
            md5.chunks.put(END);
            sha256.chunks.put(END);
            md5.join();
            sha256.join();
            out.force(true);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("floor %.0f MB/s (%d bytes in %.2f s) md5 %s sha256 %s%n", total / seconds / 1e6, total, seconds, md5.hex, sha256.hex);
    }

    private static void release(Chunk chunk, BlockingQueue<byte[]> free) {
        if (chunk.pending().decrementAndGet() == 0) {
            free.add(chunk.bytes());
        }
    }

    private static final class Hasher extends Thread {
        final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
        private final MessageDigest digest;
        private final BlockingQueue<byte[]> free;
        volatile String hex;

        Hasher(String algorithm, BlockingQueue<byte[]> free) throws Exception {
            this.digest = MessageDigest.getInstance(algorithm);
            this.free = free;
        }

        @Override
        public void run() {
            try {
                for (Chunk c = chunks.take(); c != END; c = chunks.take()) {
                    digest.update(c.bytes(), 0, c.length());
                    release(c, free);
                }
                hex = HexFormat.of().formatHex(digest.digest());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
