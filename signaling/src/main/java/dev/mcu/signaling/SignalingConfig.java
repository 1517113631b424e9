package dev.mcu.signaling;

import dev.mcu.events.Ids;

/**
 * A signaling node's settings (configuration key {@code mcu.signaling}, see the app's
 * application.yaml for the documented defaults).
 *
 * @param nodeId             this node's id; its Kafka reply topic is named after it
 * @param maxParticipants    the limit of a room created by a join
 * @param messagesPerSecond  sustained client messages per second before {@code rate-limited}
 * @param burst              messages a client may send at once (ICE trickling comes in bursts)
 * @param maxErrors          error replies after which a client is disconnected with 1008
 * @param joinTimeoutMs      how long a join waits for its mixer worker before {@code unavailable}
 * @param joinDeadlineMs     how long a socket may stay open without having joined before it is closed (1008)
 * @param socketsPerAddress  open sockets one client address may hold on this node; more are closed at once (1008)
 */
public record SignalingConfig(String nodeId, int maxParticipants, int messagesPerSecond, int burst, int maxErrors,
                              int joinTimeoutMs, int joinDeadlineMs, int socketsPerAddress) {

    public SignalingConfig(String nodeId, int maxParticipants, int messagesPerSecond, int burst, int maxErrors,
                           int joinTimeoutMs) {
        this(nodeId, maxParticipants, messagesPerSecond, burst, maxErrors, joinTimeoutMs, 10_000, 64);
    }

    public SignalingConfig {
        Ids.require(nodeId, "signaling node id");
        positive(maxParticipants, "max-participants");
        positive(messagesPerSecond, "messages-per-second");
        positive(burst, "burst");
        positive(maxErrors, "max-errors");
        positive(joinTimeoutMs, "join-timeout-ms");
        positive(joinDeadlineMs, "join.deadline");
        positive(socketsPerAddress, "sockets.max");
    }

    public static SignalingConfig defaults(String nodeId) {
        return new SignalingConfig(nodeId, 16, 20, 60, 20, 10_000);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("mcu.signaling." + name + " must be positive: " + value);
        }
    }
}
