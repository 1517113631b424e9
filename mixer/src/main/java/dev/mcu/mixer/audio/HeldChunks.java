package dev.mcu.mixer.audio;

/**
 * One listener's mix held back while its outbound stream may not be pushed into for a moment (its
 * factory starts a stream, see AudioSendGuard), pushed in order when it may again: the listener hears
 * the mix a few ticks late, then caught up, instead of a gap. Fixed capacity, copied into buffers made
 * once; confined to the audio clock's thread.
 */
final class HeldChunks {

    /** 320 ms: several times a pause (an SDP exchange, or starting a stream: a few ticks). */
    static final int CAPACITY = 32;

    private final byte[][] chunks;
    private int size;

    HeldChunks(int chunkBytes) {
        chunks = new byte[CAPACITY][chunkBytes];
    }

    boolean full() {
        return size == CAPACITY;
    }

    /** Copies one chunk in; false (and nothing held) when full. */
    boolean hold(byte[] pcm) {
        if (full()) {
            return false;
        }
        System.arraycopy(pcm, 0, chunks[size++], 0, pcm.length);
        return true;
    }

    /** Pushes what is held, oldest first, and forgets it; returns how many chunks. */
    int drainTo(AudioFeed feed) {
        int n = size;
        for (int i = 0; i < n; i++) {
            feed.sendAudio(chunks[i]);
        }
        size = 0;
        return n;
    }

    void clear() {
        size = 0;
    }
}
