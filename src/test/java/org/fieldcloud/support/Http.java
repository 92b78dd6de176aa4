package org.fieldcloud.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests: real requests to the running server, JSON in and out. */
public final class Http {

    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private final String token;
    private final Map<String, String> headers;

    public Http(String base) {
        this(base, null, Map.of());
    }

    private Http(String base, String token, Map<String, String> headers) {
        this.base = base;
        this.token = token;
        this.headers = headers;
    }

    /** Requests authenticated with this token (null: anonymous). */
    public Http as(String token) {
        return new Http(base, token, headers);
    }

    public Http as(TestData.User user) {
        return as(user == null ? null : user.token());
    }

    public Http header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Http(base, token, h);
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send("GET", path, null, (String) null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, (String) null);
    }

    public Response delete(String path, Object json) {
        return send("DELETE", path, "application/json", JSON.writeValueAsString(json));
    }

    public Response post(String path, Object json) {
        return send("POST", path, "application/json", JSON.writeValueAsString(json));
    }

    public Response put(String path, Object json) {
        return send("PUT", path, "application/json", JSON.writeValueAsString(json));
    }

    public Response patch(String path, Object json) {
        return send("PATCH", path, "application/json", JSON.writeValueAsString(json));
    }

    /** A body sent as-is, e.g. malformed JSON. */
    public Response raw(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body);
    }

    public Response form(String method, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(method, path, "application/x-www-form-urlencoded", body);
    }

    public Response send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body);
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Token " + token);
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, byte[] bytes, java.net.http.HttpHeaders headers) {

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bytes);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }
}
