package org.fieldcloud.files;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs in one bucket of an S3-compatible store (AWS SDK v2, sync client). A blob larger than one part is
 * sent as a multipart upload of {@link #PART_SIZE} parts, so at most one part is held in memory per upload;
 * a failed upload is aborted, so nothing partial becomes an object. Checksums are only computed when the
 * protocol requires them: many S3-compatible servers reject the SDK's newer trailing-checksum encoding.
 */
final class S3BlobStore implements BlobStore, AutoCloseable {

    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    private final S3Client s3;
    private final String bucket;

    S3BlobStore(StorageSettings.S3 settings) {
        if (settings.endpoint() == null || settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalStateException("FIELDCLOUD_STORAGE=s3 needs FIELDCLOUD_S3_ENDPOINT and FIELDCLOUD_S3_BUCKET.");
        }
        this.bucket = settings.bucket();
        this.s3 = S3Client.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(nullToEmpty(settings.accessKey()), nullToEmpty(settings.secretKey()))))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        ensureBucket();
    }

    /** A fresh installation may point at an empty server: create the bucket rather than fail every upload. */
    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            log.info("Creating S3 bucket {}", bucket);
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
            log.info("Creating S3 bucket {}", bucket);
            s3.createBucket(b -> b.bucket(bucket));
        }
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

    private void writeMultipart(String key, InputStream content, byte[] part, int firstLength) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw new IOException("S3 upload failed: " + e.getMessage(), e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int length = firstLength;
            while (length > 0) {
                int number = parts.size() + 1;
                int size = length;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) size), RequestBody.fromInputStream(new java.io.ByteArrayInputStream(part, 0, size), size)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                length = content.readNBytes(part, 0, PART_SIZE);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            completed = true;
        } catch (SdkException e) {
            throw new IOException("S3 multipart upload failed: " + e.getMessage(), e);
        } finally {
            if (!completed) {
                abortQuietly(key, uploadId);
            }
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
        s3.close();
    }

    private static byte[] slice(byte[] bytes, int length) {
        return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
