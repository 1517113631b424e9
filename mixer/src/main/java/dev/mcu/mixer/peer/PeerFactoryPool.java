package dev.mcu.mixer.peer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The worker's libwebrtc factories: each participant's peer borrows one of its own (see
 * {@link MixerPeer} for why) and gives it back when it closes. Factories are recycled rather than
 * disposed because webrtc-java 0.14 leaks two native threads of the headless audio device for every
 * factory disposed after it carried audio; recycled, the worker holds as many factories as it ever
 * had participants at once (six native threads each, mostly asleep; an idle one's audio playout is
 * stopped). Taken only on the join and leave paths, never by a clock.
 */
public final class PeerFactoryPool implements AutoCloseable {

    /**
     * System property for benchmarks only: when true, pools made afterwards lend one shared factory
     * to every peer (the design before one factory per participant), to measure the difference.
     */
    public static final String SHARED_PROPERTY = "mcu.bench.sharedPeerFactory";

    /** Every factory is lent: the worker hosts as many participants as it may. */
    public static final class ExhaustedException extends IllegalStateException {
        ExhaustedException(int max) {
            super("this mixer worker hosts its maximum of " + max + " participants");
        }
    }

    private final int minPort;
    private final int maxPort;
    private final int maxFactories;
    private final Deque<PeerFactory> idle = new ArrayDeque<>();
    private final List<PeerFactory> all = new ArrayList<>();
    private final PeerFactory shared;
    private boolean closed;

    /** @param maxFactories the most factories (so participants) the pool ever holds */
    public PeerFactoryPool(int minPort, int maxPort, int maxFactories) {
        this.minPort = minPort;
        this.maxPort = maxPort;
        this.maxFactories = maxFactories;
        this.shared = Boolean.getBoolean(SHARED_PROPERTY) ? new PeerFactory(minPort, maxPort) : null;
        if (shared != null) {
            all.add(shared);
        }
    }

    /**
     * An idle factory whose last negotiation has finished, or a new one.
     *
     * @throws ExhaustedException when {@code maxFactories} are lent (or still negotiating)
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized PeerFactory acquire() {
        if (closed) {
            throw new IllegalStateException("peer factories closed");
        }
        if (shared != null) {
            return shared;
        }
        for (var it = idle.iterator(); it.hasNext(); ) {
            PeerFactory f = it.next();
            if (f.audioGuard().idle()) {
                it.remove();
                f.playout(true);
                return f;
            }
        }
        if (all.size() >= maxFactories) {
            throw new ExhaustedException(maxFactories);
        }
        PeerFactory f = new PeerFactory(minPort, maxPort, AudioSendGuard.OWN_ESTABLISH_MS);
        all.add(f);
        return f;
    }

    /**
     * Makes factories ahead of the first joins, up to {@code count} idle ones (within the maximum):
     * a factory's native threads and audio device take a good part of a cold join's time.
     */
    public synchronized void prewarm(int count) {
        while (!closed && shared == null && idle.size() < count && all.size() < maxFactories) {
            PeerFactory f = new PeerFactory(minPort, maxPort, AudioSendGuard.OWN_ESTABLISH_MS);
            f.playout(false);
            all.add(f);
            idle.addLast(f);
        }
    }

    /** Takes back a factory whose peer connection and sources are all released. */
    public synchronized void release(PeerFactory factory) {
        if (factory == shared) {
            return;
        }
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

    /** Factories waiting for a participant. */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** Disposes the idle factories now and lent ones as they come back; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        idle.forEach(PeerFactory::close);
        idle.clear();
        if (shared != null) {
            shared.close();
        }
    }
}
