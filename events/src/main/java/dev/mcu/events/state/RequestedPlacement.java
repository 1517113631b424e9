package dev.mcu.events.state;

import dev.mcu.events.Json;
import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A signaling node's way to the room's worker: the assignment on the rooms topic while its worker
 * lives and takes rooms; otherwise a placement request to the control plane, then the new assignment as it
 * arrives on the rooms topic. Only the control plane places, so nodes never disagree.
 */
public final class RequestedPlacement implements RoomDirectory {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** One placement request per room per node in this time: sessions of a room whose worker died all ask. */
    private static final long REQUEST_EVERY_MS = 1_000;

    private final KafkaBus bus;
    private final RoomTable rooms;
    private final WorkerTable workers;
    private final int defaultMaxParticipants;
    private final Map<String, Long> requestedAt = new ConcurrentHashMap<>();

    public RequestedPlacement(KafkaBus bus, RoomTable rooms, WorkerTable workers, int defaultMaxParticipants) {
        this.bus = bus;
        this.rooms = rooms;
        this.workers = workers;
        this.defaultMaxParticipants = defaultMaxParticipants;
        bus.ensureTopic(Topics.PLACEMENTS);
    }

    @Override
    public Optional<RoomRecord> assignment(String room) {
        Optional<RoomRecord> current = rooms.get(room).filter(workers::hosts);
        if (current.isPresent()) {
            return current;
        }
        long now = System.currentTimeMillis();
        boolean[] ask = {false};
        long sentAt = requestedAt.compute(room, (k, last) -> {
            if (last == null || now - last >= REQUEST_EVERY_MS) {
                ask[0] = true;
                return now;
            }
            return last; // a request of this node is on its way: its answer serves this caller too
        });
        if (ask[0]) {
            bus.send(Topics.PLACEMENTS, room, Json.write(new PlacementRequest(room, defaultMaxParticipants, now)));
            requestedAt.entrySet().removeIf(e -> now - e.getValue() > 60_000);
        }
        try {
            // The answer: a serving worker, or the control plane's refusal of this very request.
            return rooms.await(room, r -> workers.hosts(r) || (r.refusedMs() != null && r.refusedMs() >= sentAt), WAIT)
                    .filter(workers::hosts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
