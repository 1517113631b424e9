package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.events.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three workers of 8 stream units each; a default room (640x360, expected 4 streams) costs 4. Six
 * rooms spread two per worker; the seventh, and a join that would create a room, are refused as
 * unavailable; a 180p room is cheaper but finds no headroom either.
 */
class PlacementTest {

    @Test
    void roomsSpreadByLoadAndAFullClusterIsUnavailable() throws Exception {
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "3", "mcu.mixer.capacity", "8"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/v1/rooms";
            String key = "Bearer " + server.dev.settings().adminKey();
            Map<String, Integer> perWorker = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = post(http, base, key, "{\"id\":\"room" + i + "\"}");
                assertEquals(201, r.statusCode(), r.body());
                perWorker.merge(Json.MAPPER.readTree(r.body()).path("workerId").asText(), 1, Integer::sum);
            }
            assertEquals(Map.of("worker-1", 2, "worker-2", 2, "worker-3", 2), perWorker);

            HttpResponse<String> full = post(http, base, key, "{\"id\":\"room6\"}");
            assertEquals(503, full.statusCode(), full.body());
            assertEquals("application/problem+json", full.headers().firstValue("content-type").orElse(""));
            assertEquals(503, post(http, base, key, "{\"id\":\"small\",\"video\":{\"width\":320,\"height\":180}}")
                    .statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/room6")).header("Authorization", key)
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "a refused room is not kept");
            try (ProtocolClient c = server.client()) {
                JsonNode refused = c.join(server.token("auto-created", "a"), "A", null);
                assertEquals("unavailable", refused.path("code").asText(), refused.toString());
            }
            try (ProtocolClient c = server.client()) {
                JsonNode joined = c.join(server.token("room0", "b"), "B", null);
                assertTrue(joined.path("type").asText().equals("joined"), "placed rooms still take joins: " + joined);
            }
        }
    }

    static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
