package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming multipart parser on awkward input: tiny reads, boundary look-alikes, truncation. */
class MultipartReaderTest {

    @Test
    void partsSurviveTinyReadsAndBoundaryLookAlikes() throws IOException {
        byte[] tricky = ("a\r\n--" + Multipart.BOUNDARY.substring(0, 10) + "\r\n-\r\n--" + Multipart.BOUNDARY.substring(0, Multipart.BOUNDARY.length() - 1) + "\r\n-").getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        byte[] body = Multipart.body(List.of(new Multipart.Part("note", null, "hello".getBytes(StandardCharsets.UTF_8)),
                new Multipart.Part("file", "t.bin", tricky), new Multipart.Part("file", "r.bin", random),
                new Multipart.Part("empty", "e", new byte[0])));
        for (int chunk : new int[] {1, 3, 7, 8192, 1 << 20}) {
            List<byte[]> bodies = new ArrayList<>();
            List<String> names = new ArrayList<>();
            MultipartReader reader = MultipartReader.of(Multipart.CONTENT_TYPE, new Trickle(new ByteArrayInputStream(body), chunk));
            MultipartReader.Part part;
            while ((part = reader.next()) != null) {
                names.add(part.name() + "/" + part.filename());
                bodies.add(part.body().readAllBytes());
            }
            assertThat(names).as("chunk " + chunk).containsExactly("note/null", "file/t.bin", "file/r.bin", "empty/e");
            assertThat(bodies.get(1)).isEqualTo(tricky);
            assertThat(bodies.get(2)).isEqualTo(random);
            assertThat(bodies.get(3)).isEmpty();
        }
    }

    @Test
    void aTruncatedBodyFailsInsteadOfEndingQuietly() throws IOException {
        byte[] body = Multipart.body(List.of(new Multipart.Part("file", "f", new byte[100_000])));
        byte[] cut = Arrays.copyOf(body, 60_000);
        MultipartReader reader = MultipartReader.of(Multipart.CONTENT_TYPE, new ByteArrayInputStream(cut));
        MultipartReader.Part part = reader.next();
        assertThatThrownBy(() -> part.body().readAllBytes()).isInstanceOf(EOFException.class);
    }

    @Test
    void notMultipartIsRecognised() {
        assertThat(MultipartReader.of("application/json", InputStream.nullInputStream())).isNull();
        assertThat(MultipartReader.of("multipart/form-data", InputStream.nullInputStream())).isNull();
        assertThat(MultipartReader.of(null, InputStream.nullInputStream())).isNull();
    }

    /** Returns at most {@code chunk} bytes per read, like a slow network. */
    static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
