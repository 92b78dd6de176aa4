package org.fieldcloud.files;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How FieldCloud talks to an S3-compatible store, for project files and for backups alike. Checksums are only
 * computed when the protocol requires them: many S3-compatible servers reject the SDK's newer trailing-checksum
 * encoding.
 */
public final class S3Clients {

    private static final Logger log = LoggerFactory.getLogger(S3Clients.class);

    private S3Clients() { }

    public static S3Client create(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(nullToEmpty(accessKey), nullToEmpty(secretKey))))
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * A fresh installation may point at an empty server: create the bucket rather than fail every request. Some
     * servers answer a missing bucket with a bare 404 instead of NoSuchBucket.
     */
    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            create(s3, bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
            create(s3, bucket);
        }
    }

    private static void create(S3Client s3, String bucket) {
        log.info("Creating S3 bucket {}", bucket);
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
