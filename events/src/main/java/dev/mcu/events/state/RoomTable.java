package dev.mcu.events.state;

import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rooms of the compacted topic {@link Topics#ROOMS}, replayed into memory and kept current: the
 * control plane writes through it, signaling reads room limits and layouts from it.
 */
public final class RoomTable implements AutoCloseable {

    private final CompactedTable<RoomRecord> rooms;

    /** Replays the topic; returns once the rooms present at start are loaded. */
    public RoomTable(KafkaBus bus) {
        this.rooms = new CompactedTable<>(bus, Topics.ROOMS, RoomRecord.class);
    }

    public Optional<RoomRecord> get(String id) {
        return rooms.get(id);
    }

    public Collection<RoomRecord> all() {
        return rooms.all();
    }

    /** Writes a room through Kafka; returns once the table shows it (read-your-writes, in topic order). */
    public void put(RoomRecord room) {
        rooms.put(room.id(), room);
    }

    /** Deletes a room (a tombstone on the compacted topic); returns once the table shows it. */
    public void delete(String id) {
        rooms.delete(id);
    }

    /**
     * Waits until the room's record satisfies the condition (as written by another process), or
     * the timeout passes; returns the record if it does.
     */
    public Optional<RoomRecord> await(String id, Predicate<RoomRecord> condition, Duration timeout)
            throws InterruptedException {
        return rooms.await(id, condition, timeout);
    }

    @Override
    public void close() {
        rooms.close();
    }
}
