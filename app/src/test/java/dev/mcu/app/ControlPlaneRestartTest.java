package dev.mcu.app;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.controlplane.ControlPlane;
import dev.mcu.events.Json;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RecordingState;
import dev.mcu.events.state.RoomRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane keeps nothing Kafka does not have: a control plane started fresh during a
 * call, from Kafka alone, holds the same rooms, assignments, participants (with their mute states),
 * workers and running recordings as the one that lived through the call, places the room on the
 * same worker, and stops the recording, which completes with its segment.
 */
class ControlPlaneRestartTest {

    @Test
    void aRestartedControlPlaneRebuildsEveryRoomParticipantAndAssignment() throws Exception {
        Path storage = Files.createTempDirectory("mcu-recordings");
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "2",
                "mcu.recordings.directory", storage.toString()))) {
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

                // A recording of the room, running when the control plane is replaced.
                HttpResponse<String> recording = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + server.port() + "/v1/rooms/kept/recordings")).header("Authorization", key)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, recording.statusCode(), recording.body());
                String recordingId = Json.MAPPER.readTree(recording.body()).path("id").asText();
                assertTrue(DevServer.eventually(15_000, () -> state(live, recordingId) == RecordingState.ACTIVE),
                        "the recording runs: " + state(live, recordingId));

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
                    assertTrue(DevServer.eventually(3_000, () -> state(restarted, recordingId) == RecordingState.ACTIVE),
                            "the running recording: " + state(restarted, recordingId));
                    assertEquals(live.recordings().request(recordingId), restarted.recordings().request(recordingId));
                    // Stopped through the new control plane, it ends as any other.
                    restarted.recordings().stop(restarted.recordings().request(recordingId).orElseThrow(), true);
                    assertTrue(DevServer.eventually(15_000, () -> state(restarted, recordingId) == RecordingState.COMPLETE
                            && state(live, recordingId) == RecordingState.COMPLETE),
                            "the recording completes: " + state(restarted, recordingId));
                    assertTrue(restarted.recordings().status(restarted.recordings().request(recordingId).orElseThrow())
                            .segments().size() >= 1, "with its segment");
                }
                a.sendRaw("{\"type\":\"ping\"}");
                a.await("pong", Duration.ofSeconds(5)); // the call carried on throughout
            }
        }
    }

    private static RecordingState state(ControlPlane controlPlane, String id) {
        return controlPlane.recordings().request(id).map(r -> controlPlane.recordings().status(r).state()).orElse(null);
    }

    private static List<RoomRecord> sorted(java.util.Collection<RoomRecord> rooms) {
        return rooms.stream().sorted(Comparator.comparing(RoomRecord::id)).toList();
    }
}
