package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/**
 * Spring's default resolver makes the servlet container parse every multipart request before the controller
 * runs, spooling each part to a temporary file. File and thumbnail uploads are parsed by
 * {@link MultipartReader} while they stream in (from the API and from the web page's upload form), so those
 * requests are left untouched here.
 */
public class StreamingUploadMultipartResolver extends StandardServletMultipartResolver {

    static final Pattern STREAMED = Pattern.compile("^(/api/v1/(files/[^/]+/.+|projects/[^/]+/thumbnail/?)|/projects/[^/]+/files/upload/.+)$");

    @Override
    public boolean isMultipart(HttpServletRequest request) {
        return !(streamed(request)) && super.isMultipart(request);
    }

    static boolean streamed(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && STREAMED.matcher(request.getRequestURI()).matches();
    }
}
