package org.fieldcloud.files;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/** Replaces Spring Boot's multipart resolver (which backs off when one exists) by one that lets uploads stream. */
@Configuration(proxyBeanMethods = false)
class FilesWebConfig {

    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartResolver() {
        return new StreamingUploadMultipartResolver();
    }
}
