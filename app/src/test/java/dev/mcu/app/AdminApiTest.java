package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.controlplane.rooms.RoomsService;
import dev.mcu.events.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 2 against the running single-machine default: authentication on every
 * route, validation, the room lifecycle, and admin actions reaching the room's participants in
 * real time over the Kafka path (kick, mute, layout, delete).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static DevServer server;
    static String key;

    @BeforeAll
    static void start() {
        server = DevServer.inProcess(Map.of());
        key = "Bearer " + server.dev.settings().adminKey();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
    }

    static void problem(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
        JsonNode p = Json.MAPPER.readTree(r.body());
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("detail").asText().isBlank());
    }

    @Test
    @Order(1)
    void everyRouteNeedsTheAdminKey() throws Exception {
        for (String route : allRoutes()) {
            String[] mp = route.split(" ");
            String path = "/v1" + mp[1].replace("{room}", "r1").replace("{participant}", "p1").replace("{worker}", "w1")
                    .replace("{recording}", "rec1").replace("{stream}", "str1");
            problem(call(mp[0], path, null, "{}"), 401);
            problem(call(mp[0], path, "Bearer not-the-key", "{}"), 401);
            problem(call(mp[0], path, key.toLowerCase(), "{}"), 401);
        }
    }

    @Test
    @Order(2)
    void roomsAreCreatedValidatedListedUpdatedAndDeleted() throws Exception {
        JsonNode room = ok(call("POST", "/v1/rooms", key, "{\"id\":\"board\",\"name\":\"Board\",\"maxParticipants\":5,"
                + "\"layout\":\"speaker\",\"video\":{\"width\":1280,\"height\":720,\"fps\":25}}"), 201);
        assertEquals("board", room.path("id").asText());
        assertEquals("Board", room.path("name").asText());
        assertEquals(5, room.path("maxParticipants").asInt());
        assertEquals("speaker", room.path("layout").asText());
        assertEquals(1280, room.path("video").path("width").asInt());
        assertEquals(0, room.path("participantCount").asInt());
        assertTrue(room.path("createdAtMs").asLong() > 0);
        assertTrue(room.path("workerId").isNull(), "an empty room holds no worker until its first join: " + room);
        problem(call("POST", "/v1/rooms", key, "{\"id\":\"board\"}"), 409);
        JsonNode generated = ok(call("POST", "/v1/rooms", key, ""), 201);
        assertTrue(generated.path("id").asText().matches("[A-Za-z0-9_-]{1,64}"));
        assertEquals("grid", generated.path("layout").asText());
        for (String bad : List.of("{\"id\":\"no spaces\"}", "{\"colour\":1}", "{\"maxParticipants\":0}",
                "{\"maxParticipants\":\"5\"}", "{\"layout\":\"carousel\"}", "{\"video\":{\"width\":641}}",
                "{\"video\":{\"depth\":3}}", "{\"video\":5}", "[1]", "nope")) {
            problem(call("POST", "/v1/rooms", key, bad), 400);
        }
        // Over the server's payload limit (64 KiB): refused before the body is read; nothing created.
        String huge = "{\"id\":\"huge\",\"name\":\"" + "x".repeat(100_000) + "\"}";
        assertEquals(413, call("POST", "/v1/rooms", key, huge).statusCode());
        problem(call("GET", "/v1/rooms/huge", key, null), 404);
        problem(call("POST", "/v1/rooms", key, "{\"video\":{\"width\":64,\"height\":36}}"), 400);
        JsonNode list = ok(call("GET", "/v1/rooms", key, null), 200);
        List<String> ids = new ArrayList<>();
        list.path("rooms").forEach(r -> ids.add(r.path("id").asText()));
        assertTrue(ids.contains("board") && ids.contains(generated.path("id").asText()), ids.toString());
        assertEquals("Board", ok(call("GET", "/v1/rooms/board", key, null), 200).path("name").asText());
        problem(call("GET", "/v1/rooms/nowhere", key, null), 404);
        problem(call("GET", "/v1/rooms/bad%20id", key, null), 400);
        JsonNode patched = ok(call("PATCH", "/v1/rooms/board", key, "{\"name\":\"Board 2\",\"maxParticipants\":7}"), 200);
        assertEquals("Board 2", patched.path("name").asText());
        assertEquals(7, patched.path("maxParticipants").asInt());
        assertEquals("speaker", patched.path("layout").asText());
        problem(call("PATCH", "/v1/rooms/board", key, "{\"video\":{}}"), 400);
        problem(call("PATCH", "/v1/rooms/nowhere", key, "{\"name\":\"x\"}"), 404);
        assertEquals(204, call("DELETE", "/v1/rooms/board", key, null).statusCode());
        problem(call("GET", "/v1/rooms/board", key, null), 404);
        problem(call("DELETE", "/v1/rooms/board", key, null), 404);
    }

    @Test
    @Order(3)
    void adminActionsReachTheParticipantsInRealTime() throws Exception {
        ok(call("POST", "/v1/rooms", key, "{\"id\":\"live\",\"maxParticipants\":2}"), 201);
        try (ProtocolClient a = server.joined("live", "Ann"); ProtocolClient b = server.joined("live", "Bob");
             ProtocolClient c = server.client()) {
            JsonNode full = c.join(server.token("live", "cat"), "Cat", null);
            assertEquals("room-full", full.path("code").asText(), "the room's own limit applies: " + full);
            String bobId = a.await("participant-joined", WAIT).path("participant").path("id").asText();
            assertTrue(DevServer.eventually(5_000, () -> count("live") == 2), "participants listed");
            JsonNode listed = ok(call("GET", "/v1/rooms/live/participants", key, null), 200);
            assertEquals("Ann", listed.path("participants").get(0).path("name").asText());
            assertEquals(2, ok(call("GET", "/v1/rooms/live", key, null), 200).path("participantCount").asInt());

            JsonNode muted = ok(call("POST", "/v1/rooms/live/participants/" + bobId + "/mute", key,
                    "{\"audio\":true}"), 200);
            assertTrue(muted.path("audioMuted").asBoolean());
            JsonNode update = a.await("participant-updated", WAIT).path("participant");
            assertEquals(bobId, update.path("id").asText());
            assertTrue(update.path("audioMuted").asBoolean());
            problem(call("POST", "/v1/rooms/live/participants/" + bobId + "/mute", key, "{}"), 400);
            problem(call("POST", "/v1/rooms/live/participants/nobody/mute", key, "{\"audio\":true}"), 404);

            ok(call("PATCH", "/v1/rooms/live", key, "{\"layout\":\"presentation\"}"), 200);
            assertEquals("presentation", a.await("view-changed", WAIT).path("view").path("layout").asText());
            assertEquals("presentation", b.await("view-changed", WAIT).path("view").path("layout").asText());

            assertEquals(204, call("DELETE", "/v1/rooms/live/participants/" + bobId, key, null).statusCode());
            b.await("kicked", WAIT);
            assertEquals(1000, b.closed().get(5, TimeUnit.SECONDS));
            JsonNode left = a.await("participant-left", WAIT);
            assertEquals(bobId, left.path("participantId").asText());
            assertEquals("kicked", left.path("reason").asText());
            assertTrue(DevServer.eventually(5_000, () -> count("live") == 1), "the kicked participant is gone");

            assertEquals(204, call("DELETE", "/v1/rooms/live", key, null).statusCode());
            a.await("room-closed", WAIT);
            assertEquals(1000, a.closed().get(5, TimeUnit.SECONDS));
            assertTrue(DevServer.eventually(5_000, () -> server.dev.worker().mixer().room("live") == null));
        }
    }

    @Test
    @Order(4)
    void theOpenApiDocumentDescribesExactlyTheRoutesThatAnswer() throws Exception {
        HttpResponse<String> doc = call("GET", "/openapi", null, null);
        assertEquals(200, doc.statusCode());
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(doc.body());
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (!m.equals("parameters")) {
                    documented.add(m.toUpperCase() + " " + path.getKey());
                }
            });
        }
        TreeSet<String> served = new TreeSet<>(allRoutes());
        served.add("POST /rooms/{room}/tokens");
        assertEquals(served, documented);
        for (String route : documented) {
            String[] mp = route.split(" ");
            String path = "/v1" + mp[1].replace("{room}", "r1").replace("{participant}", "p1").replace("{worker}", "w1")
                    .replace("{recording}", "rec1").replace("{stream}", "str1");
            int status = call(mp[0], path, key, "{}").statusCode();
            assertNotEquals(405, status, route);
            assertTrue(status != 404 || path.contains("r1") || path.contains("w1") || path.contains("rec1") || path.contains("str1"),
                    route + " answered " + status);
        }
    }

    private static List<String> allRoutes() {
        List<String> all = new java.util.ArrayList<>(RoomsService.ROUTES);
        all.addAll(dev.mcu.controlplane.recordings.RecordingsService.ROUTES);
        all.addAll(dev.mcu.controlplane.recordings.StreamsService.ROUTES);
        all.addAll(dev.mcu.controlplane.rooms.IngestService.ROUTES);
        return all;
    }

    @Test
    @Order(5)
    void workersReportTheirLoadAndADrainedWorkerTakesNoNewRooms() throws Exception {
        String id = server.dev.settings().workerId();
        assertTrue(DevServer.eventually(5_000, () -> workers().size() == 1), "the worker's heartbeat arrived");
        JsonNode w = workers().get(0);
        assertEquals(id, w.path("id").asText());
        assertEquals("ready", w.path("state").asText());
        assertTrue(System.currentTimeMillis() - w.path("lastSeenMs").asLong() < 3_000);
        assertTrue(w.path("load").asDouble() >= 0 && w.path("load").asDouble() <= 1);
        problem(call("POST", "/v1/workers/nobody/drain", key, null), 404);
        assertEquals(202, call("POST", "/v1/workers/" + id + "/drain", key, null).statusCode());
        assertTrue(DevServer.eventually(5_000, () -> "draining".equals(workers().get(0).path("state").asText())));
        try (ProtocolClient c = server.client()) {
            JsonNode refused = c.join(server.token("after-drain", "d"), "D", null);
            assertEquals("unavailable", refused.path("code").asText(), refused.toString());
        }
    }

    static int count(String room) {
        try {
            return ok(call("GET", "/v1/rooms/" + room + "/participants", key, null), 200).path("participants").size();
        } catch (Exception e) {
            return -1;
        }
    }

    static List<JsonNode> workers() {
        try {
            List<JsonNode> list = new ArrayList<>();
            ok(call("GET", "/v1/workers", key, null), 200).path("workers").forEach(list::add);
            return list;
        } catch (Exception e) {
            return List.of();
        }
    }
}
