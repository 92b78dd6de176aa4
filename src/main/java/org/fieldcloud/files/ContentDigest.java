package org.fieldcloud.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size, sha256 and the S3-style ETag of a stream, computed while it passes through: up to 8 MiB the ETag is
 * the hex md5; above, the md5 of the concatenated binary md5s of the 8 MiB parts followed by {@code -<parts>}.
 */
final class ContentDigest extends FilterInputStream {

    static final long PART_SIZE = 8L * 1024 * 1024;

    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest partMd5 = digest("MD5");
    private final MessageDigest md5OfParts = digest("MD5");
    private byte[] lastPartDigest;
    private long size;
    private long inPart;
    private int parts;

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
        sha256.update(b, off, len);
        size += len;
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

    private void closePart() {
        lastPartDigest = partMd5.digest();
        md5OfParts.update(lastPartDigest);
        parts++;
        inPart = 0;
    }

    long size() {
        return size;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Call once, after the stream has been read to its end. */
    String etag() {
        if (inPart > 0 || parts == 0) {
            closePart();
        }
        return parts == 1 ? HexFormat.of().formatHex(lastPartDigest)
                : HexFormat.of().formatHex(md5OfParts.digest()) + "-" + parts;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
