package org.fieldcloud.files;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Blobs in one bucket of an S3-compatible store (AWS SDK v2, sync client). A blob larger than one part is
 * sent as a multipart upload of {@link #PART_SIZE} parts, at most two held in memory per upload;
 * a failed upload is aborted, so nothing partial becomes an object. Checksums are only computed when the
 * protocol requires them: many S3-compatible servers reject the SDK's newer trailing-checksum encoding.
 */
final class S3BlobStore implements BlobStore, AutoCloseable {

    static final int PART_SIZE = 8 * 1024 * 1024;
    /** Second part buffers for all uploads together (32 MiB), so concurrent uploads cannot exhaust a small heap. */
    private static final Semaphore SPARE_PARTS = new Semaphore(4);
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService partUploads = Executors.newVirtualThreadPerTaskExecutor();

    S3BlobStore(StorageSettings.S3 settings) {
        if (settings.endpoint() == null || settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalStateException("FIELDCLOUD_STORAGE=s3 needs FIELDCLOUD_S3_ENDPOINT and FIELDCLOUD_S3_BUCKET.");
        }
        this.bucket = settings.bucket();
        this.s3 = S3Clients.create(settings.endpoint(), settings.region(), settings.accessKey(), settings.secretKey(), settings.pathStyle());
        S3Clients.ensureBucket(s3, bucket);
    }

    @Override
    public void write(String key, InputStream content) throws IOException {
        byte[] part = new byte[PART_SIZE];
        int n = content.readNBytes(part, 0, PART_SIZE);
        if (n < PART_SIZE) {
            put(key, part, n);
            return;
        }
        writeMultipart(key, content, part, n);
    }

    private void put(String key, byte[] bytes, int length) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) length), RequestBody.fromBytes(slice(bytes, length)));
        } catch (SdkException e) {
            throw new IOException("S3 upload failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends parts of {@link #PART_SIZE}. While one part is on its way to the store the next is read from the client
     * into a second buffer, when one of {@link #SPARE_PARTS} spare buffers is free; otherwise reading and sending take
     * turns. So one upload holds at most two parts, and all uploads together at most that many more.
     */
    private void writeMultipart(String key, InputStream content, byte[] first, int firstLength) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw new IOException("S3 upload failed: " + e.getMessage(), e);
        }
        boolean completed = false;
        boolean spare = SPARE_PARTS.tryAcquire();
        Future<String> inFlight = null;
        try {
            byte[] sending = first;
            byte[] next = spare ? new byte[PART_SIZE] : null;
            List<CompletedPart> parts = new ArrayList<>();
            int length = firstLength;
            while (length > 0) {
                int number = parts.size() + 1;
                byte[] buffer = sending;
                int size = length;
                inFlight = partUploads.submit(() -> uploadPart(key, uploadId, number, buffer, size));
                if (next != null) {
                    length = content.readNBytes(next, 0, PART_SIZE);
                    parts.add(part(number, inFlight));
                    sending = next;
                    next = buffer;
                } else {
                    parts.add(part(number, inFlight));
                    length = content.readNBytes(sending, 0, PART_SIZE);
                }
                inFlight = null;
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            completed = true;
        } catch (SdkException e) {
            throw new IOException("S3 multipart upload failed: " + e.getMessage(), e);
        } finally {
            if (inFlight != null) {
                inFlight.cancel(true);
            }
            if (spare) {
                SPARE_PARTS.release();
            }
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    private String uploadPart(String key, String uploadId, int number, byte[] buffer, int size) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) size),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, size), size, "application/octet-stream")).eTag();
    }

    /** The part once its upload is done; a failed upload fails the blob with the store's reason. */
    private static CompletedPart part(int number, Future<String> upload) throws IOException {
        try {
            return CompletedPart.builder().partNumber(number).eTag(upload.get()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("S3 multipart upload interrupted");
        } catch (ExecutionException e) {
            throw new IOException("S3 multipart upload failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            log.warn("Could not abort S3 multipart upload of {}; the sweep retries: {}", key, e.getMessage());
        }
    }

    @Override
    public InputStream read(String key, long start, long endInclusive) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + start + "-" + endInclusive));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("no blob " + key);
        } catch (SdkException e) {
            throw new IOException("S3 download failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("S3 delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void sweepIncomplete(Instant startedBefore) throws IOException {
        try {
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
                if (upload.initiated() != null && upload.initiated().isBefore(startedBefore)) {
                    abortQuietly(upload.key(), upload.uploadId());
                }
            }
        } catch (SdkException e) {
            throw new IOException("Listing unfinished S3 uploads failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        partUploads.shutdownNow();
        s3.close();
    }

    private static byte[] slice(byte[] bytes, int length) {
        return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }
}
