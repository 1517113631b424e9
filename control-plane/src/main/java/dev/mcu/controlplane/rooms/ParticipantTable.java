package dev.mcu.controlplane.rooms;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomEvent;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Who is in which room, rebuilt from the room events topic and kept current from it. */
public final class ParticipantTable implements AutoCloseable {

    private final Map<String, Map<String, Participant>> rooms = new ConcurrentHashMap<>();
    private final TopicTail tail;

    public ParticipantTable(KafkaBus bus) {
        this.tail = bus.replay(Topics.ROOM_EVENTS, (room, value) -> apply(Json.read(value, RoomEvent.class)));
        try {
            if (!tail.awaitCaughtUp(Duration.ofSeconds(60))) {
                throw new IllegalStateException("room events not replayed within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted replaying room events", e);
        }
    }

    private void apply(RoomEvent e) {
        switch (e.type()) {
            case RoomEvent.JOINED, RoomEvent.UPDATED ->
                    rooms.computeIfAbsent(e.room(), r -> new ConcurrentHashMap<>()).put(e.participant().id(), e.participant());
            case RoomEvent.LEFT -> {
                Map<String, Participant> in = rooms.get(e.room());
                if (in != null) {
                    in.remove(e.participantId());
                }
            }
            case RoomEvent.CLOSED -> rooms.remove(e.room());
            default -> {
            }
        }
    }

    public List<Participant> in(String room) {
        return rooms.getOrDefault(room, Map.of()).values().stream()
                .sorted(Comparator.comparingLong(Participant::joinedAtMs)).toList();
    }

    public Optional<Participant> get(String room, String participantId) {
        return Optional.ofNullable(rooms.getOrDefault(room, Map.of()).get(participantId));
    }

    public int count(String room) {
        return rooms.getOrDefault(room, Map.of()).size();
    }

    @Override
    public void close() {
        tail.close();
    }
}
