package org.fieldcloud.api;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Requests that Tomcat refuses before they reach Spring (an encoded slash or NUL in the path, a malformed request
 * line, headers over the size limit) get the API's {@code {"code","message"}} envelope instead of Tomcat's HTML
 * page. The messages are fixed texts: Tomcat's own reasons can quote the URL or a header, which may hold a token.
 */
@Component
class ContainerErrorReport implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** After Spring Boot's own Tomcat customizer, which installs the HTML valve this one replaces. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new JsonErrorReportValve());
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }

    static final class JsonErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean();
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            String[] codeAndMessage = describe(status, request.getRequestURI());
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(java.util.Map.of("code", codeAndMessage[0], "message", codeAndMessage[1])));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response was committed meanwhile: nothing more can be said.
            }
        }

        static String[] describe(int status, String rawUri) {
            String uri = rawUri == null ? "" : rawUri.toLowerCase(Locale.ROOT);
            if (status == 400 && uri.contains("%2f")) {
                return new String[] {"validation_error",
                    "Encoded slashes (%2F) are not accepted in URL paths; write the folders of a file name with a plain '/'."};
            }
            if (status == 400 && uri.contains("%00")) {
                return new String[] {"validation_error", "NUL characters (%00) are not accepted in URL paths."};
            }
            return switch (status) {
                case 400 -> new String[] {"api_error",
                    "The HTTP server could not read this request: a malformed request line or URL, or request headers larger than the server accepts."};
                case 404 -> new String[] {"object_not_found", "No such endpoint."};
                case 413 -> new String[] {"api_error", "The request body is larger than this server accepts."};
                case 414 -> new String[] {"api_error", "The URL is longer than this server accepts."};
                case 431 -> new String[] {"api_error", "The request headers are larger than this server accepts."};
                case 500 -> new String[] {"unknown_error", "QFieldcloud Unknown Error"};
                default -> new String[] {"api_error", "The HTTP server refused this request (HTTP " + status + ")."};
            };
        }
    }
}
