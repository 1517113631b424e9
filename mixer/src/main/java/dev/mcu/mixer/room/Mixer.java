package dev.mcu.mixer.room;

import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactoryPool;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A mixer worker: the rooms it hosts and what they share (the libwebrtc factories each room
 * borrows one of, a timer for peer timeouts, a pool for room events). Rooms share no lock on the
 * media path: the map is concurrent and each room guards only itself.
 */
public final class Mixer implements AutoCloseable {

    private final MixerConfig config;
    private final PeerFactoryPool factories;
    private final ScheduledExecutorService timer;
    private final ExecutorService pool;
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();

    public Mixer(MixerConfig config) {
        this.config = config.validate();
        this.factories = new PeerFactoryPool(config.minPort(), config.maxPort(), config.maxPeers(),
                config.peersPerFactory());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("mixer-timer").daemon().unstarted(r));
        this.pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("room-events-", 0).factory());
    }

    public MixerConfig config() {
        return config;
    }

    /** Makes this many libwebrtc factories ahead of the first joins (see {@link PeerFactoryPool#prewarm}). */
    public void prewarm(int factoryCount) {
        factories.prewarm(factoryCount);
    }

    /** Whether outbound media is stamped on libwebrtc's clock, so that receivers can lip-sync it. */
    public boolean syncClockAligned() {
        return rooms.values().stream().allMatch(Room::syncClockAligned);
    }

    /** The room with this id, created with the listener if it does not exist yet. */
    public Room room(String roomId, RoomListener listener) {
        return rooms.computeIfAbsent(roomId, id -> new Room(id, config, factories, timer, pool, listener));
    }

    public Room room(String roomId) {
        return rooms.get(roomId);
    }

    public Collection<Room> rooms() {
        return rooms.values();
    }

    public void closeRoom(String roomId, String reason) {
        Room room = rooms.remove(roomId);
        if (room != null) {
            room.close(reason);
        }
    }

    /** Closes every room, then the factories; idempotent. */
    @Override
    public void close() {
        for (String id : rooms.keySet()) {
            closeRoom(id, "shutdown");
        }
        timer.shutdownNow();
        pool.shutdown();
        factories.close();
    }

    /** The libwebrtc factories made so far: about the most rooms (or parts of large rooms) hosted at once. */
    public int peerFactories() {
        return factories.size();
    }
}
