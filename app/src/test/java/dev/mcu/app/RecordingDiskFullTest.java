package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.state.RoomEvent;
import dev.mcu.mixer.peer.PeerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A recording whose disk fills up fails with a reason, and nothing else does: the recordings
 * directory is a tmpfs of 1.2 MB (mounted by the test, which needs root, as CI has) and a
 * recording must leave 1 MiB free. The call goes on, its participants hear the recording stopped,
 * a {@code recording-failed} room event with the reason is published on Kafka, and a new recording
 * is refused with 507 while the disk stays full.
 */
class RecordingDiskFullTest {

    @Test
    void aRecordingThatFillsItsDiskFailsAndTheCallGoesOn(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small");
        java.nio.file.Files.createDirectories(small);
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", small.toString()) == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root: this test runs where CI runs (as root)");
        try (DevServer server = DevServer.inProcess(Map.of("mcu.recordings.directory", small.toString(),
                "mcu.recordings.free.min", "1"));
             PeerFactory clients = new PeerFactory(0, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/v1";
            String key = "Bearer " + server.dev.settings().adminKey();
            ProtocolClient session = server.joined("full", "Ann");
            SyntheticParticipant ann = DevServer.connect(session, clients, 0);
            ProtocolClient other = server.joined("full", "Bob");
            SyntheticParticipant bob = DevServer.connect(other, clients, 1);
            try {
                assertTrue(DevServer.eventually(15_000, () -> ann.video().frames() > 10), "the call is up");
                HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/rooms/full/recordings"))
                        .header("Authorization", key).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, started.statusCode(), started.body());
                String id = Json.MAPPER.readTree(started.body()).path("id").asText();
                String url = base + "/recordings/" + id;
                assertTrue(DevServer.eventually(60_000, () -> "failed".equals(field(http, url, key, "state"))),
                        "the recording fails when its disk is full: " + get(http, url, key));
                JsonNode failed = Json.MAPPER.readTree(get(http, url, key));
                assertTrue(failed.path("error").asText().contains("free"), failed.toString());
                assertTrue(failed.path("endedAtMs").asLong() > 0, failed.toString());
                JsonNode told = session.await(m -> ProtocolClient.type(m).equals("recording")
                        && !m.path("active").asBoolean(), Duration.ofSeconds(10));
                assertEquals(id, told.path("recordingId").asText());
                JsonNode event = roomEvent(server.dev.kafkaBootstrap(), "full", RoomEvent.RECORDING_FAILED);
                assertTrue(event.path("reason").asText().startsWith(id + ": ")
                        && event.path("reason").asText().contains("free"), "published with its reason: " + event);

                long frames = ann.video().frames();
                assertTrue(DevServer.eventually(5_000, () -> ann.video().frames() > frames + 30),
                        "the call goes on");
                assertTrue(ann.audio().toneDb(bob.tone(), 400) > -30, "with its sound");
                HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/rooms/full/recordings"))
                        .header("Authorization", key).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(507, again.statusCode(), again.body());
            } finally {
                session.close();
                other.close();
                ann.close();
                bob.close();
            }
        } finally {
            run("umount", "-l", small.toString());
        }
    }

    /** The first event of {@code type} for {@code room} on the room events topic, read from its start. */
    private static JsonNode roomEvent(String bootstrap, String room, String type) throws Exception {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition events = new TopicPartition(Topics.ROOM_EVENTS, 0);
            consumer.assign(List.of(events));
            consumer.seekToBeginning(List.of(events));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode e = Json.MAPPER.readTree(r.value());
                    if (room.equals(e.path("room").asText()) && type.equals(e.path("type").asText())) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no " + type + " event for room " + room + " on " + Topics.ROOM_EVENTS);
    }

    private static String get(HttpClient http, String url, String key) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", key).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private static String field(HttpClient http, String url, String key, String name) {
        try {
            return Json.MAPPER.readTree(get(http, url, key)).path(name).asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
