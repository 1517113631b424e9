package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.state.RoomRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three workers of 12 stream units; a participant's 640x360 stream costs one. Rooms are placed by
 * what the workers really carry: six rooms of one participant spread two per worker. When a worker
 * dies, its occupied rooms move to the others. A worker refuses a join beyond its capacity at once
 * with {@code unavailable}; when every worker is full, a new room is {@code unavailable} too, and
 * deleting a room works whatever the load and makes room again.
 */
class PlacementTest {

    @Test
    void roomsSpreadByLoadMoveOffADeadWorkerAndAFullClusterIsUnavailable() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of("mcu.mixer.count", "3", "mcu.mixer.capacity", "12",
                "mcu.signaling.room.max", "40"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/v1/rooms";
            String key = "Bearer " + server.dev.settings().adminKey();
            List<ProtocolClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(server.joined("room" + i, "first" + i));
                    int expected = i + 1;
                    assertTrue(DevServer.eventually(5_000, () -> participants(server) == expected),
                            "the workers report " + expected + " participants");
                }
                Map<String, Integer> perWorker = new HashMap<>();
                server.dev.controlPlane().rooms().all().forEach(r -> perWorker.merge(r.workerId(), 1, Integer::sum));
                assertEquals(Map.of("worker-1", 2, "worker-2", 2, "worker-3", 2), perWorker);

                server.dev.workers().stream().filter(w -> w.id().equals("worker-3")).findFirst().orElseThrow().kill();
                assertTrue(DevServer.eventually(15_000, () -> count(server, "worker-1") == 3
                                && count(server, "worker-2") == 3 && participants(server) == 6),
                        "the dead worker's rooms and participants moved: " + server.dev.controlPlane().rooms().all());
                assertTrue(DevServer.eventually(5_000, () -> get(http, base.replace("/rooms", "/workers"), key)
                        .contains("\"id\":\"worker-3\",\"state\":\"dead\"")), "the dead worker is listed as dead");

                // Fill both live workers: each refuses the join past its capacity at once.
                for (String worker : List.of("worker-1", "worker-2")) {
                    String room = server.dev.controlPlane().rooms().all().stream()
                            .filter(r -> worker.equals(r.workerId())).map(RoomRecord::id).findFirst().orElseThrow();
                    JsonNode last = null;
                    for (int n = 0; n < 20; n++) {
                        ProtocolClient c = server.client();
                        clients.add(c);
                        long started = System.nanoTime();
                        last = c.join(server.token(room, worker + "-extra" + n), "X" + n, null);
                        if (!"joined".equals(ProtocolClient.type(last))) {
                            long ms = (System.nanoTime() - started) / 1_000_000;
                            assertTrue(ms < 2_000, "refused at once, not after a timeout: " + ms + " ms");
                            break;
                        }
                    }
                    assertEquals("unavailable", last.path("code").asText(), worker + " full: " + last);
                }
                try (ProtocolClient c = server.client()) {
                    JsonNode refused = c.join(server.token("auto-created", "a"), "A", null);
                    assertEquals("unavailable", refused.path("code").asText(), refused.toString());
                }
                // A client retrying on one socket is not a client sending garbage: more refusals than
                // the session's error bound (20) leave it open, and its join goes through once there is room.
                ProtocolClient late = server.client();
                clients.add(late);
                for (int n = 0; n < 25; n++) {
                    JsonNode refused = late.join(server.token("auto-created", "b"), "B", null);
                    assertEquals("unavailable", refused.path("code").asText(), "refusal " + n + ": " + refused);
                }
                assertTrue(get(http, base, key).contains("\"id\":\"room0\""), "rooms with participants are listed");
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(base + "/room0"))
                        .header("Authorization", key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, deleted.statusCode(), "a room is deleted whatever the cluster's load: " + deleted.body());
                assertTrue(DevServer.eventually(15_000, () -> {
                    try {
                        Thread.sleep(250); // a polite client: within the message rate, however long it retries
                        return "joined".equals(ProtocolClient.type(late.join(server.token("auto-created", "b"), "B", null)));
                    } catch (Exception e) {
                        return false;
                    }
                }), "the deleted room's capacity takes a new room");
            } finally {
                clients.forEach(ProtocolClient::close);
            }
        }
    }

    static int participants(DevServer server) {
        return server.dev.controlPlane().workers().all().stream()
                .filter(w -> !"dead".equals(w.state())).mapToInt(WorkerRegistry.Worker::participants).sum();
    }

    static long count(DevServer server, String worker) {
        return server.dev.controlPlane().rooms().all().stream().map(RoomRecord::workerId).filter(worker::equals).count();
    }

    static String get(HttpClient http, String url, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }
}
