package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.events.Json;
import dev.mcu.events.state.RoomRecord;
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
 * Three workers of 12 stream units each; a default room (640x360, expected 4 streams) costs 4. Six
 * rooms spread two per worker. When a worker dies, its rooms (empty ones too) move to the others'
 * headroom; the cluster is then full: another room is refused with 503, a join that would create a
 * room with {@code unavailable}; a 180p room is cheaper but finds no headroom either.
 */
class PlacementTest {

    @Test
    void roomsSpreadByLoadMoveOffADeadWorkerAndAFullClusterIsUnavailable() throws Exception {
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "3", "mcu.mixer.capacity", "12"))) {
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

            server.dev.workers().stream().filter(w -> w.id().equals("worker-3")).findFirst().orElseThrow().kill();
            assertTrue(DevServer.eventually(10_000, () -> count(server, "worker-1") == 3 && count(server, "worker-2") == 3),
                    "the dead worker's rooms moved: " + server.dev.controlPlane().rooms().all());
            assertTrue(DevServer.eventually(5_000, () -> {
                try {
                    return get(http, base.replace("/rooms", "/workers"), key).contains("\"id\":\"worker-3\",\"state\":\"dead\"");
                } catch (Exception e) {
                    return false;
                }
            }), "the dead worker is listed as dead");

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
                assertEquals("joined", joined.path("type").asText(), "placed rooms still take joins: " + joined);
            }
        }
    }

    static long count(DevServer server, String worker) {
        return server.dev.controlPlane().rooms().all().stream().map(RoomRecord::workerId).filter(worker::equals).count();
    }

    static String get(HttpClient http, String url, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static HttpResponse<String> post(HttpClient http, String url, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
