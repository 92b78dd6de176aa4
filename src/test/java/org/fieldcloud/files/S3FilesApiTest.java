package org.fieldcloud.files;

import java.util.List;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The file scenarios against S3-compatible storage (in-process s3proxy). */
class S3FilesApiTest extends S3ApiTest implements FileScenarios {

    @Autowired
    ConfigurableApplicationContext context;

    @Override
    public Http http() {
        return http;
    }

    @Override
    public TestData data() {
        return data;
    }

    @Override
    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public List<String> blobKeys(String prefix) {
        try (S3Client s3 = client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
        }
    }
}
