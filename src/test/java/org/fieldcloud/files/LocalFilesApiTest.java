package org.fieldcloud.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/** The file scenarios against the default local-disk storage. */
class LocalFilesApiTest extends ApiTest implements FileScenarios {

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
    public List<String> blobKeys(String prefix) throws Exception {
        Path root = dataDir().resolve("files");
        Path dir = root.resolve(prefix);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }
}
