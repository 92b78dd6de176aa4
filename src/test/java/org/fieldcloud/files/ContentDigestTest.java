package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The digests of uploads against a plain computation of the reference's rules, whatever the read sizes and load. */
class ContentDigestTest {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void digestsAtTheChunkAndPartBoundaries() throws Exception {
        for (int size : new int[] {0, 1, 256 * KIB - 1, 256 * KIB, 256 * KIB + 1, 8 * MIB, 8 * MIB + 1, 16 * MIB + 3}) {
            for (int readSize : new int[] {4_097, 1_000_003}) {
                check(randomBytes(size), readSize);
            }
        }
    }

    /** More streams than the shared chunk budget allows in flight, so some chunks are hashed by their reader. */
    @Test
    void concurrentStreamsEachGetTheirOwnDigests() throws Exception {
        ExecutorService uploads = Executors.newFixedThreadPool(24);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                byte[] bytes = randomBytes(3 * MIB + i * 4_099);
                results.add(uploads.submit((Callable<Void>) () -> {
                    check(bytes, 65_536);
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            uploads.shutdownNow();
        }
    }

    /**
     * With the shared budget spent, every chunk is hashed by its reader; with two permits left, lanes and reader
     * take turns, and the reader must wait for the lanes' earlier bytes before hashing its own.
     */
    @Test
    void chunksAreHashedInOrderWhenTheSharedBudgetRunsOut() throws Exception {
        for (int left : new int[] {0, 2}) {
            int taken = ContentDigest.ALL_CHUNKS_OUT.drainPermits() - left;
            ContentDigest.ALL_CHUNKS_OUT.release(left);
            try {
                check(randomBytes(20 * MIB + 5), 65_536);
            } finally {
                ContentDigest.ALL_CHUNKS_OUT.release(taken);
            }
        }
    }

    private static void check(byte[] bytes, int readSize) throws Exception {
        ContentDigest digest = new ContentDigest(new MultipartReaderTest.Trickle(new ByteArrayInputStream(bytes), readSize));
        digest.transferTo(OutputStream.nullOutputStream());
        assertThat(digest.etag()).as("etag of %d bytes read %d at a time", bytes.length, readSize).isEqualTo(FileScenarios.expectedEtag(bytes));
        assertThat(digest.sha256Hex()).as("sha256 of %d bytes", bytes.length).isEqualTo(FileScenarios.sha256(bytes));
        assertThat(digest.size()).isEqualTo(bytes.length);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
