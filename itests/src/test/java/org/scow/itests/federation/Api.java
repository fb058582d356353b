package org.scow.itests.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The REST API of one center, signed in as its platform admin. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private String cookie;
    private String csrf;

    Api(String base) {
        this.base = base;
    }

    record Reply(int status, JsonNode json, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Signs in; false while the platform is not ready for it. */
    boolean login(String user, String password) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("user", user,
                            "password", password)))).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return false;
            }
            cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            csrf = JSON.readTree(r.body()).get("csrfToken").asText();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The session cookie ({@code name=value}), for requests made outside this class. */
    String cookie() {
        return cookie;
    }

    String csrf() {
        return csrf;
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) throws Exception {
        return send("POST", path, body);
    }

    Reply put(String path, Object body) throws Exception {
        return send("PUT", path, body);
    }

    Reply delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie).header("X-CSRF-Token", csrf);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, Check condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                // not ready yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }
}
