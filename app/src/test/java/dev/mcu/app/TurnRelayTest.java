package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.events.signal.IceServer;
import dev.mcu.mixer.peer.PeerFactory;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
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
 * TURN as a deployment runs it: a real coturn with time-limited credentials (the TURN REST API
 * scheme), the single-machine default configured with its URL and shared secret, and clients that
 * may use relayed candidates only, as behind a firewall that blocks UDP to the mixer. Signaling
 * gives each participant its own credential in {@code joined}; coturn accepts it and refuses a
 * forged one; a synthetic client and headless Chromium ({@code ?relay=1}) connect through the relay
 * and receive the mix.
 */
@Tag("browser")
class TurnRelayTest {

    private static final String SECRET = "turn-test-shared-secret-0123456789";
    private static final int TTL_SECONDS = 600;

    @Test
    void relayOnlyClientsConnectThroughCoturnWithTheirOwnCredentials(@TempDir Path dir) throws Exception {
        try (Coturn turn = Coturn.start(dir, SECRET);
             DevServer server = DevServer.inProcess(Map.of("mcu.ice.turn.urls", turn.url(),
                     "mcu.ice.turn.secret", SECRET, "mcu.ice.turn.ttl", String.valueOf(TTL_SECONDS)));
             PeerFactory clients = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> ps = new ArrayList<>();
            ChromeDriver browser = null;
            try {
                ProtocolClient relayedSession = server.client();
                sessions.add(relayedSession);
                JsonNode joined = relayedSession.join(server.token("turn", "relayed"), "Relayed", null);
                assertEquals("joined", ProtocolClient.type(joined), joined.toString());
                List<IceServer> servers = iceServers(joined);
                IceServer credential = servers.stream().filter(s -> s.urls().contains(turn.url())).findFirst()
                        .orElseThrow(() -> new AssertionError("joined carries the TURN server: " + joined));
                long expiry = Long.parseLong(credential.username().split(":", 2)[0]);
                long now = System.currentTimeMillis() / 1000;
                assertTrue(Math.abs(expiry - (now + TTL_SECONDS)) < 30, "expires after the configured lifetime");
                assertEquals("relayed", credential.username().split(":", 2)[1], "username <expiry>:<identity>");

                SyntheticParticipant relayed = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(0), servers);
                ps.add(relayed);
                relayedSession.bind(relayed);
                relayed.connect(relayedSession).get(20, TimeUnit.SECONDS);
                ProtocolClient directSession = server.joined("turn", "Direct");
                sessions.add(directSession);
                SyntheticParticipant direct = DevServer.connect(directSession, clients, 1);
                ps.add(direct);
                assertTrue(DevServer.eventually(15_000, () -> relayed.video().latest() != null
                        && direct.colour().equals(relayed.video().latest().colourAt(320, 180))), "the relayed client sees the other");
                assertTrue(DevServer.eventually(15_000, () -> direct.video().latest() != null
                        && relayed.colour().equals(direct.video().latest().colourAt(320, 180))), "and is seen");
                assertEquals("relay", localCandidateType(relayed.connection()), "its media goes through coturn");

                // A forged credential (right username, wrong password) gets no relay: nothing connects.
                ProtocolClient forgedSession = server.client();
                sessions.add(forgedSession);
                JsonNode forgedJoin = forgedSession.join(server.token("turn", "forged"), "Forged", null);
                IceServer real = iceServers(forgedJoin).stream().filter(s -> s.urls().contains(turn.url())).findFirst().orElseThrow();
                SyntheticParticipant forged = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(2),
                        List.of(new IceServer(real.urls(), real.username(), "AAAA" + real.credential().substring(4))));
                ps.add(forged);
                forgedSession.bind(forged);
                CompletableFuture<Void> connected = forged.connect(forgedSession);
                Thread.sleep(5_000);
                assertFalse(connected.isDone() && !connected.isCompletedExceptionally(), "coturn refused the forged credential");
                String log = turn.log();
                assertTrue(log.lines().anyMatch(l -> l.contains(":forged>") && l.contains("check_stun_auth")),
                        "coturn's log shows the refusal: " + log.lines().filter(l -> l.contains("forged")).limit(5).toList());
                assertTrue(log.lines().anyMatch(l -> l.contains(":relayed") && l.contains("ALLOCATE") && l.contains("success")),
                        "and the relayed client's allocation: " + log.lines().filter(l -> !l.contains("forged") && (l.contains("session") || l.contains("ALLOC") || l.contains("user"))).limit(12).toList());

                browser = BrowserEndToEndTest.open(dir, BrowserEndToEndTest.BROWSERS.get(0),
                        "http://localhost:" + server.port() + "/?room=turn&name=Red&relay=1");
                ChromeDriver d = browser;
                assertTrue(BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(45), () ->
                        "connected".equals(d.executeScript("return window.mcu && window.mcu.call.state"))), "Chromium connects: "
                        + BrowserEndToEndTest.status(d));
                assertEquals("relay", d.executeScript(BROWSER_CANDIDATE_SCRIPT), "Chromium's media goes through coturn");
                long first = framesDecoded(d);
                assertTrue(BrowserEndToEndTest.waitFor(d, Duration.ofSeconds(20), () -> framesDecoded(d) > first + 30),
                        "Chromium receives the mix through the relay: " + BrowserEndToEndTest.status(d));
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
        }
    }

    /** The type of the local candidate of the selected pair, as the page's getStats reports it. */
    private static final String BROWSER_CANDIDATE_SCRIPT = """
            const pc = window.mcu && window.mcu.call.peerConnection;
            if (!pc) return null;
            const stats = await pc.getStats();
            let pairId = null;
            stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
            const pair = pairId && stats.get(pairId);
            return pair ? stats.get(pair.localCandidateId).candidateType : null;
            """;

    private static long framesDecoded(ChromeDriver d) {
        Object n = d.executeScript("""
                const pc = window.mcu && window.mcu.call.peerConnection;
                if (!pc) return 0;
                const stats = await pc.getStats();
                let frames = 0;
                stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0; });
                return frames;
                """);
        return n instanceof Number x ? x.longValue() : 0;
    }

    private static List<IceServer> iceServers(JsonNode joined) throws Exception {
        List<IceServer> servers = new ArrayList<>();
        for (JsonNode s : joined.path("iceServers")) {
            servers.add(Json.MAPPER.treeToValue(s, IceServer.class));
        }
        return servers;
    }

    private static String localCandidateType(RTCPeerConnection pc) throws Exception {
        CompletableFuture<String> type = new CompletableFuture<>();
        pc.getStats(report -> {
            try {
                Map<String, RTCStats> all = report.getStats();
                String pairId = null;
                for (RTCStats s : all.values()) {
                    if (s.getType() == RTCStatsType.TRANSPORT && s.getAttributes().get("selectedCandidatePairId") instanceof String id) {
                        pairId = id;
                    }
                }
                RTCStats pair = pairId == null ? null : all.get(pairId);
                RTCStats local = pair == null ? null : all.get(String.valueOf(pair.getAttributes().get("localCandidateId")));
                type.complete(local == null ? null : String.valueOf(local.getAttributes().get("candidateType")));
            } catch (RuntimeException e) {
                type.completeExceptionally(e);
            }
        });
        return type.get(5, TimeUnit.SECONDS);
    }
}
