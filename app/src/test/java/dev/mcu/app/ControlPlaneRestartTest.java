package dev.mcu.app;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.controlplane.ControlPlane;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane keeps nothing Kafka does not have: a control plane started fresh during a
 * call, from Kafka alone, holds the same rooms, assignments, participants (with their mute states)
 * and workers as the one that lived through the call, and places the room on the same worker.
 */
class ControlPlaneRestartTest {

    @Test
    void aRestartedControlPlaneRebuildsEveryRoomParticipantAndAssignment() throws Exception {
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "2"))) {
            HttpClient http = HttpClient.newHttpClient();
            String key = "Bearer " + server.dev.settings().adminKey();
            for (String body : List.of("{\"id\":\"kept\",\"name\":\"Kept\",\"layout\":\"speaker\",\"maxParticipants\":6}",
                    "{\"id\":\"other\",\"video\":{\"width\":320,\"height\":180}}")) {
                assertEquals(201, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                + "/v1/rooms")).header("Authorization", key).POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            try (ProtocolClient a = server.joined("kept", "Ann"); ProtocolClient b = server.joined("kept", "Bob");
                 ProtocolClient c = server.joined("auto", "Cat")) {
                b.sendRaw("{\"type\":\"mute\",\"audio\":true}");
                ControlPlane live = server.dev.controlPlane();
                assertTrue(DevServer.eventually(5_000, () -> live.participants().in("kept").size() == 2
                        && live.participants().in("kept").stream().anyMatch(Participant::audioMuted)
                        && live.participants().in("auto").size() == 1));

                ControlPlane.Settings settings = new ControlPlane.Settings(server.dev.settings().adminKey(),
                        server.dev.settings().tokenSecret(), "http://localhost", 4, 16);
                try (KafkaBus bus = new KafkaBus(server.dev.kafkaBootstrap());
                     ControlPlane restarted = new ControlPlane(bus, settings, Clock.systemUTC())) {
                    assertEquals(sorted(live.rooms().all()), sorted(restarted.rooms().all()),
                            "rooms and their assignments");
                    for (String room : List.of("kept", "other", "auto")) {
                        assertEquals(live.participants().in(room), restarted.participants().in(room),
                                "participants of " + room);
                    }
                    assertTrue(DevServer.eventually(3_000, () -> restarted.workers().all().size() == 2));
                    assertEquals(live.workers().all().stream().map(w -> w.id()).toList(),
                            restarted.workers().all().stream().map(w -> w.id()).toList());
                    String worker = live.rooms().get("kept").orElseThrow().workerId();
                    assertEquals(worker, restarted.directory().assignment("kept").orElseThrow().workerId(),
                            "the room stays on its worker");
                }
                a.sendRaw("{\"type\":\"ping\"}");
                a.await("pong", Duration.ofSeconds(5)); // the call carried on throughout
            }
        }
    }

    private static List<RoomRecord> sorted(java.util.Collection<RoomRecord> rooms) {
        return rooms.stream().sorted(Comparator.comparing(RoomRecord::id)).toList();
    }
}
