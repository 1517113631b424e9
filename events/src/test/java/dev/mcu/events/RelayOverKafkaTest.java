package dev.mcu.events;

import dev.mcu.events.broker.EmbeddedKafka;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.relay.SessionMessage;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.signal.View;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay contract over a real (embedded) broker: what one side sends, the other reads, in order. */
class RelayOverKafkaTest {

    static EmbeddedKafka kafka;
    static KafkaBus bus;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(0);
        bus = new KafkaBus(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        bus.close();
        kafka.close();
    }

    @Test
    void workerCommandsArriveInOrderAndDecodeToTheirTypes() throws Exception {
        BlockingQueue<WorkerCommand> received = new LinkedBlockingQueue<>();
        String topic = Topics.workerCommands("w1");
        bus.tail(topic, (key, value) -> received.add(Json.read(value, WorkerCommand.class)));

        View view = new View("speaker", 320, 180, null, null, true, null);
        bus.send(topic, "room1", Json.write(new WorkerCommand("room1", "p1", "n1", "s1", "7",
                new WorkerCommand.Join("alice", "Alice", view, 16))));
        bus.send(topic, "room1", Json.write(new WorkerCommand("room1", "p1", "n1", "s1", null,
                new WorkerCommand.Candidate(null, "0", 0))));

        WorkerCommand join = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(join);
        WorkerCommand.Join j = assertInstanceOf(WorkerCommand.Join.class, join.command());
        assertEquals("Alice", j.name());
        assertEquals(view, j.view());
        assertEquals("7", join.requestId());
        WorkerCommand end = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(end);
        WorkerCommand.Candidate c = assertInstanceOf(WorkerCommand.Candidate.class, end.command());
        assertEquals(null, c.candidate());
        assertEquals(0, c.sdpMLineIndex());
    }

    @Test
    void topicsAreCreatedWithTheirRetention() throws Exception {
        bus.ensureTopic(Topics.ROOM_EVENTS);
        bus.ensureTopic(Topics.ROOMS);
        bus.ensureTopic(Topics.workerCommands("w9"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var resources = List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.ROOM_EVENTS),
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.ROOMS),
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.workerCommands("w9")));
            var configs = admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
            assertEquals("604800000", configs.get(resources.get(0)).get("retention.ms").value());
            assertEquals("compact", configs.get(resources.get(1)).get("cleanup.policy").value());
            assertEquals("3600000", configs.get(resources.get(2)).get("retention.ms").value());
        }
    }

    @Test
    void serverMessagesKeepTheWireShapeOfProtocolSectionOne() throws Exception {
        BlockingQueue<SessionMessage> received = new LinkedBlockingQueue<>();
        String topic = Topics.signalingReplies("n1");
        bus.tail(topic, (key, value) -> received.add(Json.read(value, SessionMessage.class)));
        long sent = System.nanoTime();
        bus.send(topic, "s1", Json.write(new SessionMessage("s1", null, new ServerMessage.ActiveSpeaker(null))));

        SessionMessage m = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(5));
        assertInstanceOf(ServerMessage.ActiveSpeaker.class, m.message());
        // The client sees the type name and a null participantId, as PROTOCOL.md writes it.
        assertEquals("{\"type\":\"active-speaker\",\"participantId\":null}", Json.write(m.message()));
    }
}
