package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms come and go on the single-machine default as a long-running service sees them: 100 rooms,
 * one after another, each joined by two participants (one with real media), used, and left. Every
 * join succeeds (an empty room costs its worker nothing), the emptied rooms leave their worker, the
 * auto-created ones are deleted after the expiry time, and the ones created through the API stay.
 */
@Tag("slow")
class RoomLifecycleTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int ROOMS = 100;

    @Test
    void hundredRoomsOneAfterAnother() throws Exception {
        // A small worker: without the fix, its capacity (8 units, 4 per placed room) ran out after 2 rooms.
        try (DevServer server = DevServer.inProcess(Map.of("mcu.rooms.empty.ttl", "3", "mcu.mixer.capacity", "8"));
             PeerFactory clients = new PeerFactory(0, 0)) {
            String base = "http://127.0.0.1:" + server.port();
            String key = "Bearer " + server.dev.settings().adminKey();
            List<String> apiRooms = new ArrayList<>();
            for (int i = 0; i < ROOMS; i++) {
                String room = "cycle-" + i;
                if (i % 4 == 0) {
                    assertEquals(201, call(base, "POST", "/v1/rooms", key, "{\"id\":\"" + room + "\"}").statusCode());
                    apiRooms.add(room);
                }
                ProtocolClient a = server.client();
                ProtocolClient b = server.client();
                SyntheticParticipant p = null;
                try {
                    JsonNode ja = a.join(server.token(room, "a" + i), "A" + i, null);
                    assertEquals("joined", ProtocolClient.type(ja), "room " + i + ": " + ja);
                    JsonNode jb = b.join(server.token(room, "b" + i), "B" + i, null);
                    assertEquals("joined", ProtocolClient.type(jb), "room " + i + ": " + jb);
                    p = DevServer.connect(a, clients, i % 4);
                    SyntheticParticipant media = p;
                    assertTrue(DevServer.eventually(10_000, () -> media.video().frames() > 0),
                            "room " + i + ": the participant receives its mix");
                } finally {
                    a.sendRaw("{\"type\":\"leave\"}");
                    b.sendRaw("{\"type\":\"leave\"}");
                    a.close();
                    b.close();
                    if (p != null) {
                        p.close();
                    }
                }
            }
            assertTrue(DevServer.eventually(10_000, () -> server.dev.worker().mixer().rooms().isEmpty()),
                    "the worker unloads every emptied room");
            // Auto-created rooms expire (3 s here); API rooms stay, and give their worker back.
            assertTrue(DevServer.eventually(30_000, () -> roomIds(base, key).equals(apiRooms)),
                    "only the API-created rooms remain: " + roomIds(base, key));
            assertTrue(DevServer.eventually(30_000, () -> rooms(base, key).stream()
                    .allMatch(r -> r.path("workerId").isNull() && r.path("participantCount").asInt() == 0)),
                    "no empty room holds a worker: " + rooms(base, key));
            JsonNode worker = Json.MAPPER.readTree(call(base, "GET", "/v1/workers", key, null).body())
                    .path("workers").get(0);
            assertEquals(0, worker.path("rooms").asInt(), worker.toString());
            assertEquals(0, worker.path("participants").asInt(), worker.toString());
            for (String room : apiRooms) {
                assertEquals(204, call(base, "DELETE", "/v1/rooms/" + room, key, null).statusCode());
            }
            assertTrue(roomIds(base, key).isEmpty(), "every room deleted");
        }
    }

    private static List<JsonNode> rooms(String base, String key) {
        try {
            List<JsonNode> out = new ArrayList<>();
            Json.MAPPER.readTree(call(base, "GET", "/v1/rooms", key, null).body()).path("rooms").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> roomIds(String base, String key) {
        return rooms(base, key).stream().map(r -> r.path("id").asText()).toList();
    }

    static HttpResponse<String> call(String base, String method, String path, String auth, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", auth);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
