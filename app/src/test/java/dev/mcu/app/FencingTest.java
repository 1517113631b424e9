package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.worker.MixerWorker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker goes silent (a long stall, a partition) while hosting a call: it is declared dead and
 * the call moves to the other worker. The silent worker finds its room assigned elsewhere under a
 * later epoch and stops it quietly: nobody hears {@code participant-left}
 * from it, the participant table keeps everyone, and the call goes on on the new worker.
 */
@Tag("slow")
class FencingTest {

    @Test
    void aWorkerDeclaredDeadThatComesBackStopsTheRoomsItNoLongerOwns() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of("mcu.mixer.count", "2"));
             PeerFactory clients = new PeerFactory(0, 0)) {
            List<ProtocolClient> sessions = new ArrayList<>();
            List<SyntheticParticipant> media = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    ProtocolClient s = server.joined("zombie", "Z" + i);
                    sessions.add(s);
                    media.add(DevServer.connect(s, clients, i));
                }
                String hostId = server.dev.controlPlane().rooms().get("zombie").orElseThrow().workerId();
                MixerWorker host = server.dev.workers().stream().filter(w -> w.id().equals(hostId)).findFirst()
                        .orElseThrow();
                long epochBefore = server.dev.controlPlane().rooms().get("zombie").orElseThrow().epoch();

                host.heartbeat().silence(true);
                for (int i = 0; i < 2; i++) {
                    sessions.get(i).await("reconnect", Duration.ofSeconds(15));
                    media.add(DevServer.connect(sessions.get(i), clients, i));
                }
                var moved = server.dev.controlPlane().rooms().get("zombie").orElseThrow();
                assertTrue(!hostId.equals(moved.workerId()) && moved.epoch() > epochBefore,
                        "the room moved under a later epoch: " + moved);
                // Still reading Kafka, the silent worker sees the room assigned elsewhere and lets go of it
                // (one cut off from Kafka would do so as soon as it reads again).
                host.heartbeat().silence(false);
                assertTrue(DevServer.eventually(10_000, () -> host.mixer().room("zombie") == null),
                        "the worker that came back stopped the room it no longer owns");
                assertTrue(DevServer.eventually(5_000, () -> host.fencedRooms() == 1), "counted as fenced");
                Thread.sleep(2_000); // time for any stray event from the fenced room to arrive
                for (ProtocolClient s : sessions) {
                    assertTrue(s.pending().stream().noneMatch(m -> "participant-left".equals(ProtocolClient.type(m))),
                            "nobody hears participant-left from the fenced room: " + s.pending());
                }
                assertEquals(2, server.dev.controlPlane().participants().count("zombie"),
                        "the participant table keeps both participants");
                SyntheticParticipant a = media.get(2);
                long before = a.video().frames();
                assertTrue(DevServer.eventually(5_000, () -> a.video().frames() > before + 10),
                        "the call goes on on the new worker");
            } finally {
                sessions.forEach(ProtocolClient::close);
                media.forEach(SyntheticParticipant::close);
            }
        }
    }

    /** A worker dies with no other to take its rooms: its participants leave the participant table. */
    @Test
    void theParticipantsOfADeadWorkerLeaveTheParticipantTable() throws Exception {
        try (DevServer server = DevServer.inProcess(Map.of());
             ProtocolClient a = server.joined("orphaned", "A");
             ProtocolClient b = server.joined("orphaned", "B")) {
            assertTrue(DevServer.eventually(5_000, () -> server.dev.controlPlane().participants().count("orphaned") == 2));
            server.dev.worker().kill();
            assertTrue(DevServer.eventually(15_000, () -> server.dev.controlPlane().participants().count("orphaned") == 0),
                    "the dead worker's participants are gone from the table: "
                            + server.dev.controlPlane().participants().in("orphaned"));
        }
    }
}
