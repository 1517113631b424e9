package dev.mcu.app;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path of the single-machine default: WebSocket signaling, the Kafka relay to the mixer
 * worker, real webrtc-java peers on the other side. Each participant receives the other's colour
 * and tone, never its own tone; observe endpoints report the room.
 */
class MediaThroughSignalingTest {

    @Test
    void twoParticipantsGetEachOthersPictureAndVoiceThroughTheRelay() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of());
             PeerFactory clients = new PeerFactory(0, 0)) {
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<ProtocolClient> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ProtocolClient session = server.joined("media", "P" + i);
                    SyntheticParticipant p = DevServer.connect(session, clients, i);
                    ps.add(p);
                    sessions.add(session);
                }
                for (int i = 0; i < 2; i++) {
                    SyntheticParticipant me = ps.get(i);
                    SyntheticParticipant other = ps.get(1 - i);
                    boolean sees = DevServer.eventually(15_000, () -> me.video().latest() != null
                            && me.video().latest().colourAt(320, 180) == other.colour());
                    assertTrue(sees, "participant " + i + " sees the other's colour in the middle of its mix");
                    assertEquals(640, me.video().width());
                    boolean hears = DevServer.eventually(10_000, () ->
                            me.audio().toneDb(other.tone(), 400) > -30
                                    && me.audio().toneDb(other.tone(), 400) - me.audio().toneDb(me.tone(), 400) >= 30);
                    assertTrue(hears, String.format("participant %d hears %.1f dB of the other, %.1f dB of itself", i,
                            me.audio().toneDb(other.tone(), 400), me.audio().toneDb(me.tone(), 400)));
                }
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("mcu_participants{scope=\"application\",} 2.0"), metrics);
                assertTrue(metrics.contains("mcu_rooms{scope=\"application\",} 1.0"), metrics);
                assertTrue(metrics.contains("mcu_audio_underruns{scope=\"application\",}"), metrics);
                assertTrue(metrics.contains("mcu_audio_trimmed{scope=\"application\",}"), metrics);
                // Three made ahead of the first join (mcu.mixer.factories.warm); the two participants use two.
                assertTrue(metrics.contains("mcu_peer_factories{scope=\"application\",} 3.0"), metrics);
                assertTrue(metrics.contains("mcu_audio_silence_repaid{scope=\"application\",}"), metrics);
                assertTrue(metrics.contains("mcu_clock_ticks_skipped{clock=\"audio\",scope=\"application\",}"), metrics);
                assertTrue(metrics.contains("mcu_signaling_joins_total{scope=\"application\",} 2.0"), metrics);
                assertTrue(metrics.contains("mcu_control_workers{scope=\"application\",state=\"ready\",} 1.0"), metrics);
                assertTrue(metrics.contains("mcu_signaling_join_seconds_count{scope=\"application\",} 2.0"), metrics);
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
            assertTrue(DevServer.eventually(10_000, () -> server.dev.worker().mixer().rooms().isEmpty()),
                    "the room closes when its sessions end");
        }
    }
}
