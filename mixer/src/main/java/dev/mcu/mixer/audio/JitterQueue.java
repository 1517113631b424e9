package dev.mcu.mixer.audio;

/**
 * A short single-producer single-consumer queue of 10 ms chunks between the audio receive thread
 * and the room's audio clock. Chunks are preallocated; nothing allocates or locks per chunk.
 *
 * <p>The consumer prebuffers {@link #PREBUFFER} chunks after running dry, so arrival jitter
 * between the two clocks does not turn into alternate silent ticks; when the queue fills up (the
 * sender's clock runs faster than ours) the producer drops the newest chunk. An empty queue is
 * silence for one tick, never a stall.
 *
 * <p>Producer and consumer tick at the same rate, so a burst of arrivals (the receive thread late,
 * then catching up) would leave a standing queue that never drains: latency the listener hears and
 * the video does not have, i.e. lip sync off by up to the capacity. When the shallowest depth seen
 * over {@link #TRIM_WINDOW} polls exceeds the prebuffer, the oldest chunk is dropped (one per
 * window, so a standing queue of 8 drains to 2 within 3 s).
 */
public final class JitterQueue {

    static final int PREBUFFER = 2;
    static final int TRIM_WINDOW = 50;

    private final short[][] chunks;
    private final int capacity;
    private volatile long head;  // next chunk to read; written by the consumer only
    private volatile long tail;  // next chunk to write; written by the producer only
    private boolean primed;      // consumer-side state
    private int windowPolls;     // consumer-side state
    private long windowMinDepth = Long.MAX_VALUE; // consumer-side state
    private volatile long dropped;
    private volatile long underruns;
    private volatile long trimmed;

    public JitterQueue(int capacity) {
        if (capacity < PREBUFFER + 1) {
            throw new IllegalArgumentException("capacity must be at least " + (PREBUFFER + 1));
        }
        this.capacity = capacity;
        this.chunks = new short[capacity][AudioFormat.CHUNK_SAMPLES];
    }

    /** Producer: the chunk to fill next, or null when the queue is full (the chunk is dropped). */
    public short[] claim() {
        if (tail - head >= capacity) {
            dropped++;
            return null;
        }
        return chunks[(int) (tail % capacity)];
    }

    /** Producer: publishes the chunk returned by the last {@link #claim()}. */
    public void publish() {
        tail = tail + 1;
    }

    /** Consumer: the next chunk to mix, or null for silence; valid until the next poll. */
    public short[] poll() {
        long available = tail - head;
        if (!primed) {
            if (available < PREBUFFER) {
                return null;
            }
            primed = true;
        }
        if (available == 0) {
            primed = false;
            underruns++;
            windowMinDepth = 0;
            return null;
        }
        windowMinDepth = Math.min(windowMinDepth, available);
        if (++windowPolls == TRIM_WINDOW) {
            if (windowMinDepth > PREBUFFER) {
                head = head + 1; // the oldest chunk; at least PREBUFFER remain
                trimmed++;
            }
            windowPolls = 0;
            windowMinDepth = Long.MAX_VALUE;
        }
        short[] chunk = chunks[(int) (head % capacity)];
        return chunk;
    }

    /** Consumer: frees the chunk returned by the last successful {@link #poll()}. */
    public void release() {
        head = head + 1;
    }

    public int depth() {
        return (int) (tail - head);
    }

    public long dropped() {
        return dropped;
    }

    public long underruns() {
        return underruns;
    }

    /** Chunks dropped to drain a standing queue. */
    public long trimmed() {
        return trimmed;
    }
}
