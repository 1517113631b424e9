package dev.mcu.mixer.peer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's libwebrtc factories. The peers of one room share a factory, up to
 * {@code peersPerFactory} of them (a larger room takes another): one set of native threads and one
 * audio device playout thread serve the room, instead of six threads per participant. Sharing is safe
 * because no negotiation can start the factory's device capture; only {@link AudioSendGuard#activate}
 * does, under a pause of the factory's pushes (see {@link MixerPeer}). Rooms never share a factory, so
 * one room's joins pause no other room's sound.
 *
 * <p>Factories are recycled rather than disposed because webrtc-java 0.14 leaks two native threads
 * of the headless audio device for every factory disposed after it carried audio; an idle one's
 * playout is stopped. Taken only on the join and leave paths, never by a clock.
 */
public final class PeerFactoryPool implements AutoCloseable {

    /**
     * System property for benchmarks only: when true, pools made afterwards lend each peer a factory
     * of its own (the design before rooms shared them), to measure the difference side by side.
     */
    public static final String PER_PARTICIPANT_PROPERTY = "mcu.bench.factoryPerParticipant";

    /** The worker hosts as many participants as it may. */
    public static final class ExhaustedException extends IllegalStateException {
        ExhaustedException(int max) {
            super("this mixer worker hosts its maximum of " + max + " participants");
        }
    }

    /** A factory lent to one room, and how many of its peers hold it. */
    private static final class Lease {
        final String room;
        int peers;

        Lease(String room) {
            this.room = room;
        }
    }

    private final int minPort;
    private final int maxPort;
    private final int maxPeers;
    private final int peersPerFactory;
    private final Deque<PeerFactory> idle = new ArrayDeque<>();
    private final List<PeerFactory> all = new ArrayList<>();
    private final Map<PeerFactory, Lease> lent = new IdentityHashMap<>();
    private int lentPeers;
    private boolean closed;

    /**
     * @param maxPeers        the most peers lent at once (the worker's participant limit)
     * @param peersPerFactory the most peers of one room on one factory
     */
    public PeerFactoryPool(int minPort, int maxPort, int maxPeers, int peersPerFactory) {
        this.minPort = minPort;
        this.maxPort = maxPort;
        this.maxPeers = maxPeers;
        this.peersPerFactory = Boolean.getBoolean(PER_PARTICIPANT_PROPERTY) ? 1 : peersPerFactory;
    }

    /**
     * The factory of {@code room} with room for one more peer, else an idle factory or a new one,
     * lent to that room until each peer given it is {@link #release released}.
     *
     * @throws ExhaustedException when {@code maxPeers} peers hold factories
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized PeerFactory acquire(String room) {
        if (closed) {
            throw new IllegalStateException("peer factories closed");
        }
        if (lentPeers >= maxPeers) {
            throw new ExhaustedException(maxPeers);
        }
        for (Map.Entry<PeerFactory, Lease> e : lent.entrySet()) {
            Lease lease = e.getValue();
            if (lease.room.equals(room) && lease.peers < peersPerFactory) {
                lease.peers++;
                lentPeers++;
                return e.getKey();
            }
        }
        PeerFactory f = takeIdle();
        if (f == null) {
            f = new PeerFactory(minPort, maxPort);
            all.add(f);
        }
        Lease lease = new Lease(room);
        lease.peers = 1;
        lent.put(f, lease);
        lentPeers++;
        return f;
    }

    private PeerFactory takeIdle() {
        for (var it = idle.iterator(); it.hasNext(); ) {
            PeerFactory f = it.next();
            if (f.audioGuard().idle()) {
                it.remove();
                f.playout(true);
                return f;
            }
        }
        return null;
    }

    /**
     * Makes factories ahead of the first joins, up to {@code count} idle ones: a factory's native
     * threads and audio device take a good part of a cold join's time.
     */
    public synchronized void prewarm(int count) {
        while (!closed && idle.size() < count && all.size() < maxPeers) {
            PeerFactory f = new PeerFactory(minPort, maxPort);
            f.playout(false);
            all.add(f);
            idle.addLast(f);
        }
    }

    /** One peer given {@code factory} has released its connection and sources. */
    public synchronized void release(PeerFactory factory) {
        Lease lease = lent.get(factory);
        if (lease == null) {
            return;
        }
        lentPeers--;
        if (--lease.peers > 0) {
            return;
        }
        lent.remove(factory);
        factory.audioGuard().unregisterAll();
        factory.audioGuard().reset();
        if (closed) {
            factory.close();
        } else {
            factory.playout(false);
            idle.push(factory); // the most recently used first: its threads are warm
        }
    }

    /** Factories made so far (lent and idle). */
    public synchronized int size() {
        return all.size();
    }

    /** Factories waiting for a room. */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** Disposes the idle factories now and lent ones as their last peer comes back; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        idle.forEach(PeerFactory::close);
        idle.clear();
    }
}
