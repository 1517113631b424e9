package dev.mcu.controlplane.rooms;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.bus.TopicTail;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomEvent;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Who is in which room, rebuilt from the room events topic and kept current from it. */
public final class ParticipantTable implements AutoCloseable {

    /** A run of a worker (see {@link dev.mcu.events.state.WorkerStatus#instance}). */
    public record Host(String workerId, String instance) {
    }

    /** A participant and the worker run whose event last spoke of it. */
    private record Entry(Participant participant, Host host) {
    }

    private final Map<String, Map<String, Entry>> rooms = new ConcurrentHashMap<>();
    private final TopicTail tail;
    private volatile Consumer<String> onJoined = room -> { };
    private volatile Consumer<RoomEvent> onEvent = e -> { };

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
        onEvent.accept(e);
        switch (e.type()) {
            case RoomEvent.JOINED, RoomEvent.UPDATED -> {
                rooms.computeIfAbsent(e.room(), r -> new ConcurrentHashMap<>())
                        .put(e.participant().id(), new Entry(e.participant(), new Host(e.workerId(), e.workerInstance())));
                if (RoomEvent.JOINED.equals(e.type())) {
                    onJoined.accept(e.room());
                }
            }
            case RoomEvent.LEFT -> {
                Map<String, Entry> in = rooms.get(e.room());
                // A leave from a worker the participant no longer lives on (it moved) changes nothing.
                if (in != null) {
                    in.computeIfPresent(e.participantId(), (id, entry) ->
                            e.workerId() == null || e.workerId().equals(entry.host().workerId()) ? null : entry);
                }
            }
            case RoomEvent.CLOSED -> rooms.remove(e.room());
            default -> {
            }
        }
        if (rooms.containsKey(e.room()) && rooms.get(e.room()).isEmpty()) {
            rooms.remove(e.room(), Map.of());
        }
    }

    /** Told the room of every participant that joins from now on (on the events' thread: hand over only). */
    public void onJoined(Consumer<String> listener) {
        onJoined = listener;
    }

    /** Told every room event from now on, before the table applies it (on the events' thread: hand over only). */
    public void onEvent(Consumer<RoomEvent> listener) {
        onEvent = listener;
    }

    /** A participant of a room, by ids. */
    public record Seat(String room, String participantId) {
    }

    /** The participants last seen on this worker run, in every room. */
    public Set<Seat> on(Host host) {
        Set<Seat> seats = new HashSet<>();
        rooms.forEach((room, in) -> in.forEach((id, entry) -> {
            if (entry.host().equals(host)) {
                seats.add(new Seat(room, id));
            }
        }));
        return seats;
    }

    public List<Participant> in(String room) {
        return rooms.getOrDefault(room, Map.of()).values().stream().map(Entry::participant)
                .sorted(Comparator.comparingLong(Participant::joinedAtMs)).toList();
    }

    public Optional<Participant> get(String room, String participantId) {
        return Optional.ofNullable(rooms.getOrDefault(room, Map.of()).get(participantId)).map(Entry::participant);
    }

    public int count(String room) {
        return rooms.getOrDefault(room, Map.of()).size();
    }

    /** The worker runs whose events put the room's current participants in the table. */
    public Set<Host> hostsOf(String room) {
        Set<Host> hosts = new HashSet<>();
        rooms.getOrDefault(room, Map.of()).values().forEach(e -> hosts.add(e.host()));
        return hosts;
    }

    /** Where the participant was last seen, if it is in the room. */
    public Optional<Host> hostOf(String room, String participantId) {
        return Optional.ofNullable(rooms.getOrDefault(room, Map.of()).get(participantId)).map(Entry::host);
    }

    /** Drops the room's participants last seen on this worker run (it died, or the room left it). */
    public void dropOn(String room, Host host) {
        Map<String, Entry> in = rooms.get(room);
        if (in != null) {
            in.values().removeIf(entry -> entry.host().equals(host));
        }
    }

    /** Rooms that have participants in the table. */
    public Set<String> rooms() {
        return rooms.keySet();
    }

    @Override
    public void close() {
        tail.close();
    }
}
