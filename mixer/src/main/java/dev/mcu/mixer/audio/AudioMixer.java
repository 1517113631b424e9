package dev.mcu.mixer.audio;

import dev.mcu.mixer.clock.MediaClock;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The room's audio clock work, every 10 ms: take one chunk per talker, pick the loudest few,
 * sum them once, and give each listener that sum minus its own contribution (mix-minus), through
 * a limiter; recordings get the whole sum. O(N) per tick: listeners that are not among the loudest all hear the same sum, which
 * is limited and encoded to bytes once and shared.
 * A listener whose stream is paused for a moment has its mix held ({@link HeldChunks}) and pushed
 * late rather than lost; other ticks without a push are paid back in silence ({@link SilenceDebt}), so
 * its stamps stay on the wall clock and its jitter buffer and lip sync are not thrown off.
 */
public final class AudioMixer implements MediaClock.Tickable {

    private static final int N = AudioFormat.CHUNK_SAMPLES;
    /**
     * A chunk whose RMS is below -60 dBFS (33 of 32768) is silence and is not mixed: what a decoder
     * makes of a silent or DTX stream is noise around -100 dBFS, which would keep every mix from
     * being digital silence, and a silent mix from going out as DTX (see the peer's OpusDtx).
     */
    static final long SILENCE_ENERGY = (long) N * 33 * 33;

    private final Supplier<AudioRoster> roster;
    private final int loudestN;
    private final SpeakerDetector speakers;
    private final int[] total = new int[N];
    private final int[] minus = new int[N];
    private final byte[] shared = new byte[2 * N];
    private final byte[] silence = new byte[2 * N];
    private final Limiter sharedLimiter = new Limiter();
    private final Limiter fullLimiter = new Limiter();
    private final byte[] full = new byte[2 * N];
    private final Map<String, Listener> listeners = new HashMap<>();
    private short[][] chunks = new short[0][];
    private long[] energy = new long[0];
    private int[] selected = new int[0];
    private boolean[] isSelected = new boolean[0];
    private Listener[] byIndex = new Listener[0];
    private long knownVersion = -1;
    private volatile long ticks;
    private volatile long silenceRepaid;

    /** Per-participant state, kept while the participant is in the room. */
    private static final class Listener {
        final byte[] out = new byte[2 * N];
        final Limiter limiter = new Limiter();
        final SilenceDebt debt = new SilenceDebt();
        final HeldChunks held = new HeldChunks(2 * N);
        boolean selected;
    }

    public AudioMixer(Supplier<AudioRoster> roster, int loudestN, SpeakerDetector speakers) {
        this.roster = roster;
        this.loudestN = loudestN;
        this.speakers = speakers;
    }

    @Override
    public void tick(long tickIndex, long deadlineNanos) {
        AudioRoster snapshot = roster.get();
        List<? extends AudioFeed> feeds = snapshot.feeds();
        if (snapshot.version() != knownVersion) {
            resize(feeds);
            knownVersion = snapshot.version();
        }
        int n = feeds.size();
        for (int i = 0; i < n; i++) {
            AudioFeed feed = feeds.get(i);
            short[] chunk = feed.audioQueue().poll();
            chunks[i] = chunk;
            long e = 0;
            if (chunk != null && !feed.audioMuted()) {
                for (int s = 0; s < N; s++) {
                    e += chunk[s] * chunk[s];
                }
            }
            energy[i] = e;
            if (speakers != null) {
                speakers.level(feed.id(), e, N);
            }
        }
        int count = selectLoudest(n);
        Arrays.fill(total, 0);
        for (int k = 0; k < count; k++) {
            short[] chunk = chunks[selected[k]];
            for (int s = 0; s < N; s++) {
                total[s] += chunk[s];
            }
        }
        boolean sharedReady = false;
        for (int i = 0; i < n; i++) {
            AudioFeed feed = feeds.get(i);
            boolean receiving = feed.receivingAudio();
            if (!receiving && !feed.audioPaused()) {
                continue;
            }
            Listener listener = byIndex[i];
            byte[] pcm;
            if (isSelected[i]) {
                short[] own = chunks[i];
                for (int s = 0; s < N; s++) {
                    minus[s] = total[s] - own[s];
                }
                listener.limiter.process(minus, N, listener.out);
                pcm = listener.out;
            } else {
                if (!sharedReady) {
                    sharedLimiter.process(total, N, shared);
                    sharedReady = true;
                }
                pcm = shared;
            }
            if (receiving) {
                send(feed, listener, pcm, tickIndex);
            } else {
                hold(listener, pcm, tickIndex);
            }
        }
        List<? extends MixSink> taps = snapshot.taps();
        if (!taps.isEmpty()) {
            fullLimiter.process(total, N, full);
            for (int t = 0; t < taps.size(); t++) {
                try {
                    taps.get(t).sendMix(full, deadlineNanos);
                } catch (RuntimeException e) {
                    // A recording's trouble is its own: the participants' mixes go on.
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (chunks[i] != null) {
                feeds.get(i).audioQueue().release();
                chunks[i] = null;
            }
        }
        if (speakers != null) {
            speakers.decide(deadlineNanos / 1_000_000L);
        }
        ticks++;
    }

    /** Pushes one tick's mix, after what was held for this listener and any silence owed. */
    private void send(AudioFeed feed, Listener listener, byte[] pcm, long tickIndex) {
        listener.held.drainTo(feed);
        int repay = listener.debt.beforePush(tickIndex);
        for (int k = 0; k < repay; k++) {
            feed.sendAudio(silence);
        }
        silenceRepaid += repay;
        feed.sendAudio(pcm);
    }

    /**
     * Keeps one tick's mix (after any silence owed) for a paused listener; a full hold leaves the
     * tick to be paid back in silence like any missed one.
     */
    private void hold(Listener listener, byte[] pcm, long tickIndex) {
        if (listener.held.full()) {
            return;
        }
        int repay = listener.debt.beforePush(tickIndex);
        for (int k = 0; k < repay; k++) {
            listener.held.hold(silence);
        }
        silenceRepaid += repay;
        listener.held.hold(pcm);
    }

    /**
     * Selects up to loudestN unmuted inputs louder than silence by energy; partial selection, O(N x loudestN).
     * Inputs mixed in the previous tick count double (+3 dB): without this hysteresis, talkers of
     * similar level swap in and out of the mix every 10 ms and everyone hears them chopped.
     */
    private int selectLoudest(int n) {
        Arrays.fill(isSelected, 0, n, false);
        int count = 0;
        for (int k = 0; k < loudestN; k++) {
            int best = -1;
            long bestRank = 0;
            for (int i = 0; i < n; i++) {
                long rank = byIndex[i].selected ? energy[i] << 1 : energy[i];
                if (!isSelected[i] && energy[i] > SILENCE_ENERGY && rank > bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            isSelected[best] = true;
            selected[count++] = best;
        }
        for (int i = 0; i < n; i++) {
            byIndex[i].selected = isSelected[i];
        }
        return count;
    }

    private void resize(List<? extends AudioFeed> feeds) {
        int n = feeds.size();
        if (chunks.length < n) {
            int cap = Math.max(n, chunks.length * 2);
            chunks = new short[cap][];
            energy = new long[cap];
            selected = new int[cap];
            isSelected = new boolean[cap];
            byIndex = new Listener[cap];
        }
        Map<String, Listener> kept = new HashMap<>();
        for (AudioFeed feed : feeds) {
            Listener l = listeners.get(feed.id());
            kept.put(feed.id(), l != null ? l : new Listener());
        }
        if (speakers != null) {
            for (String gone : listeners.keySet()) {
                if (!kept.containsKey(gone)) {
                    speakers.forget(gone);
                }
            }
        }
        listeners.clear();
        listeners.putAll(kept);
        for (int i = 0; i < n; i++) {
            byIndex[i] = listeners.get(feeds.get(i).id());
        }
    }

    public long ticks() {
        return ticks;
    }

    /** Chunks of silence pushed to keep listeners' stamps on the wall clock after missed ticks. */
    public long silenceRepaid() {
        return silenceRepaid;
    }

    @Override
    public void stopped() {
        knownVersion = -1;
        listeners.values().forEach(l -> {
            l.debt.reset(); // a restarted clock counts from 0
            l.held.clear();
        });
    }
}
