package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What careless and hostile clients do, against the single-machine default, and what everyone else
 * sees meanwhile: the same token joined again and again, a kicked participant coming back, sockets
 * that never join, too many sockets from one address, and a storm of offers that never get ICE.
 */
class HostileClientsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static DevServer server;
    static String key;

    @BeforeAll
    static void start() {
        server = new DevServer(Map.of("mcu.signaling.join.deadline", "1500", "mcu.signaling.sockets.max", "12",
                "mcu.mixer.connect.timeout", "4000"));
        key = "Bearer " + server.dev.settings().adminKey();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSameTokenJoinedAgainReplacesTheEarlierSession() throws Exception {
        String token = server.token("same-token", "alice");
        List<ProtocolClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ProtocolClient c = server.client();
                sessions.add(c);
                JsonNode joined = c.join(token, "Alice " + i, null);
                assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                assertEquals(1, joined.path("participants").size(), "one alice in the room: " + joined);
                if (i > 0) {
                    ProtocolClient earlier = sessions.get(i - 1);
                    JsonNode kicked = earlier.await("kicked", WAIT);
                    assertEquals("replaced", kicked.path("reason").asText(), kicked.toString());
                    assertEquals(1000, earlier.closed().get(5, TimeUnit.SECONDS), "the replaced socket closes");
                }
            }
            assertTrue(DevServer.eventually(5_000, () -> participants("same-token").size() == 1),
                    "the room lists one participant: " + participants("same-token"));
            ProtocolClient last = sessions.get(2);
            last.sendRaw("{\"type\":\"ping\",\"id\":\"p\"}");
            assertEquals("p", last.await("pong", WAIT).path("id").asText(), "the latest session carries on");
        } finally {
            sessions.forEach(ProtocolClient::close);
        }
    }

    @Test
    void aKickedParticipantCannotRejoinWithItsToken() throws Exception {
        String token = server.token("kick-room", "mallory");
        try (ProtocolClient c = server.client(); ProtocolClient again = server.client();
             ProtocolClient fresh = server.client()) {
            JsonNode joined = c.join(token, "Mallory", null);
            String id = joined.path("participantId").asText();
            // The control plane learns of the join from the worker's room events, a moment after `joined`:
            // until then the participant is not found (404), as an admin's list would not show it yet.
            assertTrue(DevServer.eventually(5_000, () -> status("DELETE", "/v1/rooms/kick-room/participants/" + id)
                    == 204), "the admin kicks the participant");
            assertEquals("kicked", ProtocolClient.type(c.await("kicked", WAIT)));
            JsonNode refused = again.join(token, "Mallory", null);
            assertEquals("forbidden", refused.path("code").asText(), refused.toString());
            JsonNode invited = fresh.join(server.token("kick-room", "mallory"), "Mallory", null);
            assertEquals("joined", ProtocolClient.type(invited), "a new invitation is honoured: " + invited);
        }
    }

    @Test
    void aSocketThatNeverJoinsIsClosedAndOthersCarryOn() throws Exception {
        try (ProtocolClient idle = server.client(); ProtocolClient member = server.joined("idle-room", "M")) {
            assertEquals(1008, idle.closed().get(5, TimeUnit.SECONDS), "closed with 1008 after the join deadline");
            member.sendRaw("{\"type\":\"ping\",\"id\":\"still\"}");
            assertEquals("still", member.await("pong", WAIT).path("id").asText());
        }
    }

    @Test
    void oneAddressHoldsOnlySoManySockets() throws Exception {
        List<ProtocolClient> held = new ArrayList<>();
        try {
            // Loopback is one address: 14 sockets at once, past the limit of 12 (well inside the join deadline).
            for (int i = 0; i < 14; i++) {
                held.add(server.client());
            }
            Thread.sleep(300);
            List<ProtocolClient> refused = held.stream().filter(c -> c.closed().getNow(-1) == 1008).toList();
            assertTrue(refused.size() >= 2, "the sockets past the limit are closed at once: " + refused.size());
            ProtocolClient first = held.get(0);
            first.sendRaw("{\"type\":\"ping\",\"id\":\"ok\"}");
            assertEquals("ok", first.await("pong", WAIT).path("id").asText(), "sockets within the limit work");
            held.removeAll(refused);
            held.forEach(ProtocolClient::close);
            held.clear();
            assertTrue(DevServer.eventually(5_000, () -> {
                try {
                    ProtocolClient c = server.client();
                    held.add(c);
                    c.sendRaw("{\"type\":\"ping\",\"id\":\"again\"}");
                    return "again".equals(c.await("pong", Duration.ofSeconds(1)).path("id").asText());
                } catch (Exception e) {
                    return false;
                }
            }), "freed slots take new sockets");
        } finally {
            held.forEach(ProtocolClient::close);
        }
    }

    @Test
    void anOfferStormWithoutIceStallsNobody() throws Exception {
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> media = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ProtocolClient s = server.joined("storm", "Good" + i);
                    sessions.add(s);
                    media.add(DevServer.connect(s, clients, i));
                }
                assertTrue(DevServer.eventually(10_000, () -> media.stream().allMatch(m -> m.video().frames() > 30)),
                        "media flows before the storm");
                ProtocolClient storm = server.joined("storm", "Storm");
                sessions.add(storm);
                String offer = realOffer(clients);
                long[] before = {media.get(0).video().frames(), media.get(1).video().frames()};
                long started = System.nanoTime();
                for (int i = 0; i < 15; i++) {
                    storm.send(Map.of("type", "offer", "id", "o" + i, "sdp", offer));
                }
                // A new joiner joins and gets its mix in the usual time while the storm goes on.
                ProtocolClient late = server.joined("storm", "Late");
                sessions.add(late);
                SyntheticParticipant lateMedia = DevServer.connect(late, clients, 3);
                media.add(lateMedia);
                assertTrue(DevServer.eventually(5_000, () -> lateMedia.video().frames() > 0),
                        "the late joiner receives its mix");
                long window = started + TimeUnit.SECONDS.toNanos(3) - System.nanoTime();
                if (window > 0) {
                    TimeUnit.NANOSECONDS.sleep(window); // measure over at least three seconds
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                for (int i = 0; i < 2; i++) {
                    double fps = (media.get(i).video().frames() - before[i]) / seconds;
                    assertTrue(fps > 20, "participant " + i + " kept " + fps + " fps during the storm");
                }
                // Every offer got an answer or an error, none was left hanging.
                int replies = 0;
                for (int i = 0; i < 15; i++) {
                    String id = "o" + i;
                    JsonNode r = storm.await(m -> id.equals(m.path("id").asText()), WAIT);
                    assertTrue(List.of("answer", "error").contains(ProtocolClient.type(r)), r.toString());
                    replies++;
                }
                assertEquals(15, replies);
                // The stormer never connects: it is removed with reason timeout (4 s here).
                JsonNode left = sessions.get(0).await(m -> "participant-left".equals(ProtocolClient.type(m))
                        && "timeout".equals(m.path("reason").asText()), Duration.ofSeconds(15));
                assertFalse(left.path("participantId").asText().isEmpty());
            } finally {
                sessions.forEach(ProtocolClient::close);
                media.forEach(SyntheticParticipant::close);
            }
        }
    }

    /** A real browser-like offer from a webrtc-java peer (audio and video), taken before any ICE. */
    private static String realOffer(PeerFactory clients) throws Exception {
        SyntheticParticipant probe = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(5));
        try {
            CompletableFuture<String> sdp = new CompletableFuture<>();
            probe.connect(new SyntheticParticipant.Signaling() {
                @Override
                public CompletableFuture<String> offer(String offer) {
                    sdp.complete(offer);
                    return new CompletableFuture<>();
                }

                @Override
                public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
                }
            });
            return sdp.get(10, TimeUnit.SECONDS);
        } finally {
            probe.close();
        }
    }

    private static List<JsonNode> participants(String room) {
        try {
            List<JsonNode> out = new ArrayList<>();
            Json.MAPPER.readTree(call("GET", "/v1/rooms/" + room + "/participants").body()).path("participants")
                    .forEach(out::add);
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The status of an admin call, or -1 when it could not be made. */
    private static int status(String method, String path) {
        try {
            return call(method, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", key).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
