package org.fieldcloud.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads a request body of any accepted encoding into {@link RequestFields}. */
public class RequestFieldsResolver implements HandlerMethodArgumentResolver {

    private static final int MAX_JSON_BYTES = 1024 * 1024;
    private final ObjectMapper mapper;

    public RequestFieldsResolver(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == RequestFields.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) throws IOException {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        String contentType = request.getContentType();
        if (contentType == null || contentType.isBlank()) {
            return readJson(request.getInputStream(), true);
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "api_error",
                    "Content-Type '" + contentType + "' cannot be parsed.");
        }
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json")) {
            return readJson(request.getInputStream(), false);
        }
        if (type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED) || type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA)) {
            Map<String, Object> values = new LinkedHashMap<>();
            request.getParameterMap().forEach((k, v) -> values.put(k, v.length == 0 ? "" : v[0]));
            return RequestFields.of(values);
        }
        throw new ApiException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "api_error",
                "Unsupported content type '" + contentType + "'; send application/json, form-encoded or multipart data.");
    }

    private RequestFields readJson(InputStream in, boolean emptyAllowed) throws IOException {
        byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) {
            throw ApiException.badRequest("The JSON body is larger than 1 MiB.");
        }
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return RequestFields.of(Map.of());
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JacksonException e) {
            // The parser's own message quotes the offending text, which may be a secret value: report only where.
            var at = e.getLocation();
            throw ApiException.badRequest("Malformed JSON body: not valid JSON"
                    + (at == null ? "." : " at line " + at.getLineNr() + ", column " + at.getColumnNr() + "."));
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return RequestFields.of(Map.of());
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("The JSON body must be an object, got " + node.getNodeType().name().toLowerCase() + ".");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = mapper.treeToValue(node, LinkedHashMap.class);
        return RequestFields.of(values);
    }
}
