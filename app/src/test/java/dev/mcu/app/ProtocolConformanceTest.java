package dev.mcu.app;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.events.Json;
import dev.mcu.events.signal.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md section 1 against a running single-machine default (embedded Kafka, a real mixer):
 * every message, and every bad input answered with the right error while the session carries on.
 */
class ProtocolConformanceTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";
    static DevServer server;

    @BeforeAll
    static void start() {
        server = new DevServer(Map.of("mcu.signaling.room.max", "3", "mcu.signaling.errors", "40",
                "mcu.ice.urls", "stun:stun.example.org:3478, turn:turn.example.org:3478", "mcu.ice.username", "u",
                "mcu.ice.credential", "c"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertError(ProtocolClient c, String code) throws Exception {
        JsonNode e = c.await("error", WAIT);
        assertEquals(code, e.path("code").asText(), e.toString());
        assertFalse(e.path("message").asText().isBlank(), "an error says what is wrong");
    }

    static void assertAlive(ProtocolClient c) throws Exception {
        c.sendRaw("{\"type\":\"ping\",\"id\":\"alive\"}");
        assertEquals("alive", c.await("pong", WAIT).path("id").asText());
    }

    @Test
    void pingIsAnsweredWithPongEchoingTheId() throws Exception {
        try (ProtocolClient c = server.client()) {
            c.sendRaw("{\"type\":\"ping\",\"id\":\"p-1\"}");
            JsonNode pong = c.await("pong", WAIT);
            assertEquals("p-1", pong.path("id").asText());
        }
    }

    @Test
    void garbageGetsBadRequestAndTheSessionCarriesOn() throws Exception {
        try (ProtocolClient c = server.client()) {
            for (String bad : List.of("not json", "[]", "{}", "{\"type\":\"dance\"}", "{\"type\":\"join\"}",
                    "{\"type\":\"join\",\"token\":42}", "{\"type\":\"mute\",\"audio\":\"yes\"}",
                    "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}")) {
                c.sendRaw(bad);
                assertError(c, "bad-request");
            }
            c.sendBinary(new byte[]{1, 2, 3});
            assertError(c, "bad-request");
            c.sendRaw("{\"type\":\"dance\",\"id\":\"x9\"}");
            assertEquals("x9", c.await("error", WAIT).path("id").asText());
            assertAlive(c);
        }
    }

    @Test
    void nothingButJoinIsAcceptedBeforeJoin() throws Exception {
        try (ProtocolClient c = server.client()) {
            c.sendRaw("{\"type\":\"offer\",\"sdp\":\"" + SDP.replace("\r\n", "\\r\\n") + "\"}");
            assertError(c, "bad-request");
            c.sendRaw("{\"type\":\"candidate\",\"candidate\":null}");
            assertError(c, "bad-request");
            c.sendRaw("{\"type\":\"mute\",\"audio\":true}");
            assertError(c, "bad-request");
            c.sendRaw("{\"type\":\"view\",\"view\":{\"layout\":\"grid\"}}");
            assertError(c, "bad-request");
            assertAlive(c);
        }
    }

    @Test
    void badTokensAreUnauthorizedAndAGoodOneStillJoins() throws Exception {
        String key = server.dev.settings().tokenSecret();
        Instant now = Instant.now();
        var base = (java.util.function.Supplier<com.auth0.jwt.JWTCreator.Builder>) () -> JWT.create()
                .withSubject("eve").withClaim("room", "tokens");
        String expired = base.get().withIssuedAt(now.minusSeconds(100)).withExpiresAt(now.minusSeconds(50))
                .sign(Algorithm.HMAC256(key));
        String notYet = base.get().withIssuedAt(now).withNotBefore(now.plusSeconds(300))
                .withExpiresAt(now.plusSeconds(600)).sign(Algorithm.HMAC256(key));
        String otherKey = base.get().withIssuedAt(now).withExpiresAt(now.plusSeconds(60))
                .sign(Algorithm.HMAC256("some-other-key-some-other-key-some-other"));
        String good = server.token("tokens", "eve");
        String[] parts = good.split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String forged = parts[0] + "." + b64(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace("tokens", "elsewhere")) + "." + parts[2];
        try (ProtocolClient c = server.client()) {
            for (String bad : List.of(expired, notYet, otherKey, none, forged, "garbage", "a.b.c")) {
                c.sendRaw("{\"type\":\"join\",\"token\":\"" + bad + "\"}");
                assertError(c, "unauthorized");
            }
            // A valid token for another room than the one the client asks for.
            c.sendRaw("{\"type\":\"join\",\"token\":\"" + good + "\",\"room\":\"elsewhere\"}");
            assertError(c, "unauthorized");
            JsonNode joined = c.join(good, "Eve", null);
            assertEquals("joined", ProtocolClient.type(joined), joined.toString());
        }
    }

    @Test
    void joinedCarriesTheRoomTheParticipantAndTheEffectiveView() throws Exception {
        try (ProtocolClient a = server.joined("joinshape", "Ann"); ProtocolClient b = server.client()) {
            JsonNode joined = b.join(server.token("joinshape", "bob"), "Bob",
                    new View("speaker", 320, 180, 500, null, null, null));
            assertEquals("joined", ProtocolClient.type(joined), joined.toString());
            assertEquals("joinshape", joined.path("room").asText());
            String id = joined.path("participantId").asText();
            assertTrue(id.matches("[A-Za-z0-9_-]{1,64}"), id);
            JsonNode ice = joined.path("iceServers");
            assertEquals(1, ice.size(), ice.toString());
            assertEquals("turn:turn.example.org:3478", ice.get(0).path("urls").get(1).asText());
            assertEquals("u", ice.get(0).path("username").asText());
            assertEquals(2, joined.path("participants").size());
            JsonNode view = joined.path("view");
            assertEquals("speaker", view.path("layout").asText());
            assertEquals(320, view.path("maxWidth").asInt());
            assertEquals(180, view.path("maxHeight").asInt());
            assertEquals(30, view.path("maxFps").asInt(), "clamped to what the room allows");
            assertFalse(view.path("includeSelf").asBoolean());
            JsonNode p = a.await("participant-joined", WAIT).path("participant");
            assertEquals(id, p.path("id").asText());
            assertEquals("Bob", p.path("name").asText());
            assertFalse(p.path("audioMuted").asBoolean());
            assertTrue(p.path("joinedAtMs").asLong() > 0);
            b.sendRaw("{\"type\":\"join\",\"token\":\"" + server.token("joinshape", "bob") + "\"}");
            assertError(b, "bad-request");
        }
    }

    @Test
    void offersThatAreNotUsableSdpAreRefused() throws Exception {
        try (ProtocolClient c = server.joined("sdp", "Sam")) {
            c.sendRaw("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\","
                    + "\"sdpMid\":\"0\"}");
            assertError(c, "bad-request"); // before any offer
            c.sendRaw("{\"type\":\"offer\",\"sdp\":\"hello\"}");
            assertError(c, "bad-request");
            String noMedia = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";
            c.sendRaw("{\"type\":\"offer\",\"sdp\":\"" + noMedia + "\"}");
            assertError(c, "bad-request");
            c.sendRaw("{\"type\":\"offer\",\"sdp\":\"" + (SDP + "a=x\r\n".repeat(5000)).replace("\r\n", "\\r\\n") + "\"}");
            assertError(c, "bad-request");
            // Well-formed enough for the edge, refused by libwebrtc: still an error, not a crash.
            c.sendRaw("{\"type\":\"offer\",\"id\":\"o1\",\"sdp\":\"" + SDP.replace("\r\n", "\\r\\n") + "\"}");
            JsonNode e = c.await("error", WAIT);
            assertEquals("o1", e.path("id").asText());
            c.sendRaw("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\","
                    + "\"sdpMid\":\"7\"}");
            assertError(c, "bad-request"); // no m-line with mid 7
            assertAlive(c);
        }
    }

    @Test
    void muteViewLeaveAndDisconnectReachTheOthers() throws Exception {
        try (ProtocolClient a = server.joined("events", "Ann"); ProtocolClient b = server.joined("events", "Bob")) {
            String bobId = a.await("participant-joined", WAIT).path("participant").path("id").asText();
            b.sendRaw("{\"type\":\"mute\",\"audio\":true}");
            JsonNode updated = a.await(m -> ProtocolClient.type(m).equals("participant-updated")
                    && m.path("participant").path("id").asText().equals(bobId), WAIT);
            assertTrue(updated.path("participant").path("audioMuted").asBoolean());
            assertFalse(updated.path("participant").path("videoMuted").asBoolean());
            b.sendRaw("{\"type\":\"view\",\"id\":\"v1\",\"view\":{\"layout\":\"presentation\",\"pin\":\""
                    + bobId + "\",\"maxHeight\":180,\"maxWidth\":320,\"maxBitrateKbps\":150}}");
            JsonNode changed = b.await("view-changed", WAIT);
            assertEquals("v1", changed.path("id").asText());
            assertEquals("presentation", changed.path("view").path("layout").asText());
            assertEquals(bobId, changed.path("view").path("pin").asText());
            assertEquals(180, changed.path("view").path("maxHeight").asInt());
            assertEquals(150, changed.path("view").path("maxBitrateKbps").asInt());
            b.sendRaw("{\"type\":\"leave\"}");
            JsonNode left = a.await("participant-left", WAIT);
            assertEquals(bobId, left.path("participantId").asText());
            assertEquals("left", left.path("reason").asText());
            assertEquals(1000, b.closed().get(5, TimeUnit.SECONDS));

            ProtocolClient c = server.joined("events", "Cat");
            String catId = a.await("participant-joined", WAIT).path("participant").path("id").asText();
            c.close(); // the socket goes away without a leave
            JsonNode gone = a.await("participant-left", WAIT);
            assertEquals(catId, gone.path("participantId").asText());
            assertEquals("disconnected", gone.path("reason").asText());
        }
    }

    @Test
    void aTokenWithoutPublishJoinsMutedAndCannotUnmute() throws Exception {
        String key = server.dev.settings().tokenSecret();
        Instant now = Instant.now();
        String listenOnly = JWT.create().withSubject("lurker").withClaim("room", "grants").withIssuedAt(now)
                .withExpiresAt(now.plusSeconds(60)).withClaim("grants", Map.of("publish", false, "subscribe", true))
                .sign(Algorithm.HMAC256(key));
        try (ProtocolClient a = server.joined("grants", "Ann"); ProtocolClient l = server.client()) {
            JsonNode joined = l.join(listenOnly, "Lurker", null);
            assertEquals("joined", ProtocolClient.type(joined), joined.toString());
            String id = joined.path("participantId").asText();
            JsonNode muted = a.await(m -> ProtocolClient.type(m).equals("participant-updated")
                    && m.path("participant").path("id").asText().equals(id), WAIT).path("participant");
            assertTrue(muted.path("audioMuted").asBoolean() && muted.path("videoMuted").asBoolean(), muted.toString());
            l.sendRaw("{\"type\":\"mute\",\"audio\":false}");
            assertError(l, "forbidden");
            assertAlive(l);
        }
    }

    @Test
    void aFullRoomRefusesTheNextJoin() throws Exception {
        try (ProtocolClient a = server.joined("full", "A"); ProtocolClient b = server.joined("full", "B");
             ProtocolClient c = server.joined("full", "C"); ProtocolClient d = server.client()) {
            JsonNode refused = d.join(server.token("full", "d"), "D", null);
            assertEquals("error", ProtocolClient.type(refused));
            assertEquals("room-full", refused.path("code").asText());
            assertAlive(d);
        }
    }

    @Test
    void aFloodIsRateLimitedThenDisconnected() throws Exception {
        try (ProtocolClient c = server.client()) {
            for (int i = 0; i < 300 && !c.closed().isDone(); i++) {
                try {
                    c.sendRaw("{\"type\":\"ping\"}");
                } catch (java.util.concurrent.CompletionException closedByServer) {
                    break; // the server hung up mid-flood, as it should
                }
            }
            JsonNode limited = c.await(m -> m.path("code").asText().equals("rate-limited"), WAIT);
            assertEquals("error", ProtocolClient.type(limited));
            assertEquals(1008, c.closed().get(10, TimeUnit.SECONDS));
        }
        try (ProtocolClient other = server.client()) {
            assertAlive(other); // the node and everyone else carry on
        }
    }

    @Test
    void theTokenEndpointNeedsTheAdminKeyValidatesAndIssuesJoinableTokens() throws Exception {
        String url = "http://127.0.0.1:" + server.port() + "/v1/rooms/tokenroom/tokens";
        String key = "Bearer " + server.dev.settings().adminKey();
        HttpResponse<String> none = post(url, null, "{\"identity\":\"a\"}");
        assertEquals(401, none.statusCode());
        assertEquals("application/problem+json", none.headers().firstValue("content-type").orElse(""));
        JsonNode problem = Json.MAPPER.readTree(none.body());
        assertEquals(401, problem.path("status").asInt());
        assertFalse(problem.path("title").asText().isBlank());
        assertFalse(problem.path("detail").asText().isBlank());
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(401, post(url, "Bearer wrong-key", "{\"identity\":\"a\"}").statusCode());
        for (String bad : List.of("{}", "not json", "[]", "{\"identity\":\"a\",\"colour\":\"red\"}",
                "{\"identity\":\"a\",\"ttlSeconds\":0}", "{\"identity\":\"a\",\"ttlSeconds\":\"60\"}",
                "{\"identity\":\"\"}", "{\"identity\":\"a\",\"name\":\"" + "n".repeat(65) + "\"}")) {
            HttpResponse<String> r = post(url, key, bad);
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            assertTrue(Json.MAPPER.readTree(r.body()).path("detail").asText().length() > 5, r.body());
        }
        assertEquals(400, post("http://127.0.0.1:" + server.port() + "/v1/rooms/bad%20room/tokens", key,
                "{\"identity\":\"a\"}").statusCode());

        HttpResponse<String> ok = post(url, key, "{\"identity\":\"alice\",\"name\":\"Alice\",\"ttlSeconds\":60}");
        assertEquals(201, ok.statusCode(), ok.body());
        JsonNode issued = Json.MAPPER.readTree(ok.body());
        assertTrue(issued.path("joinUrl").asText().contains("/?room=tokenroom&token="), issued.toString());
        try (ProtocolClient c = server.client()) {
            c.sendRaw("{\"type\":\"join\",\"token\":\"" + issued.path("token").asText() + "\"}");
            JsonNode joined = c.await("joined", WAIT);
            assertEquals("tokenroom", joined.path("room").asText());
            assertEquals("Alice", joined.path("participants").get(0).path("name").asText(),
                    "the token's name is the display name when the join gives none");
        }
    }

    @Test
    void devModeHandsThePageItsOwnToken() throws Exception {
        String url = "http://127.0.0.1:" + server.port() + "/dev/token";
        HttpResponse<String> ok = post(url, null, "{\"room\":\"devroom\",\"name\":\"Dee\"}");
        assertEquals(201, ok.statusCode(), ok.body());
        try (ProtocolClient c = server.client()) {
            JsonNode joined = c.join(Json.MAPPER.readTree(ok.body()).path("token").asText(), "Dee", null);
            assertEquals("devroom", joined.path("room").asText(), joined.toString());
        }
        assertEquals(400, post(url, null, "{\"name\":\"Dee\"}").statusCode());
        assertEquals(400, post(url, null, "{\"room\":\"no spaces\"}").statusCode());
    }

    static HttpResponse<String> post(String url, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
