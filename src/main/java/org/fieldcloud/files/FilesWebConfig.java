package org.fieldcloud.files;

import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/** Request plumbing that file paths need. */
@Configuration(proxyBeanMethods = false)
class FilesWebConfig {

    /** Replaces Spring Boot's multipart resolver (which backs off when one exists) by one that lets uploads stream. */
    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartResolver() {
        return new StreamingUploadMultipartResolver();
    }

    /**
     * File names arrive in the path, so traversal attempts ({@code ../}, {@code //}, encoded dots) are stopped by
     * Spring Security's firewall before any controller; answer them in the API's error envelope, not an empty 400.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, e) -> {
            response.setStatus(400);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"code\":\"validation_error\",\"message\":\"The request path was rejected: "
                    + "it must not contain '..', '.', empty segments, encoded slashes or control characters.\"}");
        };
    }
}
