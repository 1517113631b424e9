package dev.mcu.signaling.relay;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.relay.SessionMessage;
import dev.mcu.events.relay.WorkerCommand;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * This signaling node's side of the Kafka relay: commands go to a worker's command topic (keyed by
 * room, so one room's commands stay in order), replies come back on this node's reply topic.
 */
public final class WorkerRelay implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerRelay.class.getName());

    private final String nodeId;
    private final KafkaBus bus;
    private TopicTail tail;

    public WorkerRelay(String nodeId, KafkaBus bus) {
        this.nodeId = nodeId;
        this.bus = bus;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Starts reading this node's replies; returns once nothing sent from now on can be missed. */
    public WorkerRelay start(Consumer<SessionMessage> replies) {
        tail = bus.tail(Topics.signalingReplies(nodeId), (key, value) -> {
            SessionMessage m;
            try {
                m = Json.read(value, SessionMessage.class);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "undecodable reply dropped: {0}", e.getMessage());
                return;
            }
            replies.accept(m);
        });
        return this;
    }

    public void send(String workerId, WorkerCommand command) {
        String topic = Topics.workerCommands(workerId);
        bus.ensureTopic(topic);
        bus.send(topic, command.room(), Json.write(command));
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }
}
