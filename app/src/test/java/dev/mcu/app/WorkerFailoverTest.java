package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.room.ParticipantInfo;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.worker.MixerWorker;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two mixer workers; the one hosting a call of three synthetic participants dies abruptly (no
 * heartbeats, no messages, peers gone). Within 10 s every participant has been told to
 * reconnect, renegotiated, and is back in the mix on the other worker, with the same
 * participantIds, names, mute states and layout.
 */
@Tag("slow")
class WorkerFailoverTest {

    @Test
    void aCallSurvivesTheDeathOfItsWorker() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of("mcu.mixer.count", "2"));
             PeerFactory clients = new PeerFactory(0, 0)) {
            String key = "Bearer " + server.dev.settings().adminKey();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/v1/rooms";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Authorization", key).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"id\":\"failover\",\"layout\":\"speaker\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());

            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> first = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ProtocolClient s = server.client();
                    JsonNode joined = s.join(server.token("failover", "p" + i), "P" + i, null);
                    ids.add(joined.path("participantId").asText());
                    SyntheticParticipant p = DevServer.connect(s, clients, i);
                    sessions.add(s);
                    first.add(p);
                }
                sessions.get(2).sendRaw("{\"type\":\"mute\",\"video\":true}");
                // The first join placed the room.
                String hostId = server.dev.controlPlane().rooms().get("failover").orElseThrow().workerId();
                MixerWorker host = worker(server, hostId);
                MixerWorker other = server.dev.workers().stream().filter(w -> w != host).findFirst().orElseThrow();
                assertTrue(DevServer.eventually(10_000, () -> first.stream().allMatch(p -> p.video().frames() > 10)),
                        "media flows before the failure");
                assertTrue(DevServer.eventually(5_000, () -> host.participants("failover").size() == 3
                        && host.participants("failover").get(2).videoMuted()));

                long killedAt = System.nanoTime();
                host.kill();

                List<SyntheticParticipant> second = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sessions.get(i).await("reconnect", Duration.ofSeconds(10));
                    SyntheticParticipant p = DevServer.connect(sessions.get(i), clients, i);
                    second.add(p);
                }
                boolean back = DevServer.eventually(10_000, () -> second.stream().allMatch(p ->
                        p.video().frames() > 5 && p.audio().samples() > 0));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
                assertTrue(back, "every participant receives the mix again");
                assertTrue(seconds <= 10, "back in the mix " + seconds + " s after the failure");
                for (int i = 0; i < 3; i++) {
                    SyntheticParticipant me = second.get(i);
                    SyntheticParticipant talker = second.get((i + 1) % 3);
                    assertTrue(DevServer.eventually(8_000, () -> me.audio().toneDb(talker.tone(), 400) > -30),
                            "participant " + i + " hears participant " + (i + 1) % 3 + " again");
                }

                Room moved = other.mixer().room("failover");
                assertTrue(moved != null, "the room is on the surviving worker");
                List<ParticipantInfo> members = moved.participants();
                assertEquals(ids, members.stream().map(ParticipantInfo::id).sorted(
                        java.util.Comparator.comparingInt(ids::indexOf)).toList(), "same participantIds");
                for (int i = 0; i < 3; i++) {
                    String id = ids.get(i);
                    ParticipantInfo p = members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
                    assertEquals("P" + i, p.name());
                    assertEquals(i == 2, p.videoMuted(), "mute state kept for " + id);
                    assertEquals(Layout.SPEAKER, moved.currentView(id).layout(), "layout kept for " + id);
                }
                JsonNode room = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/failover"))
                        .header("Authorization", key).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertNotEquals(hostId, room.path("workerId").asText());
                assertEquals(other.id(), room.path("workerId").asText());
                second.forEach(SyntheticParticipant::close);
            } finally {
                sessions.forEach(ProtocolClient::close);
                first.forEach(SyntheticParticipant::close);
            }
        }
    }

    @Test
    void drainingAWorkerMovesItsCallAndItEmpties() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of("mcu.mixer.count", "2"));
             PeerFactory clients = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> ps = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ProtocolClient s = server.joined("drained", "D" + i);
                    SyntheticParticipant p = DevServer.connect(s, clients, i);
                    sessions.add(s);
                    ps.add(p);
                }
                String hostId = server.dev.controlPlane().rooms().get("drained").orElseThrow().workerId();
                MixerWorker host = worker(server, hostId);
                HttpResponse<String> drain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.port() + "/v1/workers/" + hostId + "/drain"))
                        .header("Authorization", "Bearer " + server.dev.settings().adminKey())
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, drain.statusCode(), drain.body());
                List<SyntheticParticipant> moved = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    sessions.get(i).await("reconnect", Duration.ofSeconds(10));
                    SyntheticParticipant p = DevServer.connect(sessions.get(i), clients, i);
                    moved.add(p);
                }
                assertTrue(DevServer.eventually(10_000, () -> moved.get(0).audio().toneDb(moved.get(1).tone(), 400) > -30
                        && moved.get(1).audio().toneDb(moved.get(0).tone(), 400) > -30), "the call goes on elsewhere");
                assertTrue(DevServer.eventually(10_000, () -> host.mixer().rooms().isEmpty()),
                        "the drained worker lets go of the room");
                MixerWorker other = server.dev.workers().stream().filter(w -> w != host).findFirst().orElseThrow();
                assertEquals(2, other.participants("drained").size());
                assertTrue(DevServer.eventually(5_000, () ->
                        server.dev.controlPlane().participants().count("drained") == 2),
                        "the control plane still lists both: " + server.dev.controlPlane().participants().in("drained"));
                moved.forEach(SyntheticParticipant::close);
            } finally {
                sessions.forEach(ProtocolClient::close);
                ps.forEach(SyntheticParticipant::close);
            }
        }
    }

    private static MixerWorker worker(DevServer server, String id) {
        return server.dev.workers().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
    }
}
