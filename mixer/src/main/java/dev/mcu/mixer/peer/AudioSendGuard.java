package dev.mcu.mixer.peer;

import dev.mcu.mixer.clock.MediaClock;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Works around a libwebrtc/webrtc-java 0.14 hazard that aborts the process: when an audio send
 * stream starts, libwebrtc starts the audio device's recording, and the device's capture thread
 * then feeds every send stream of the factory, concurrently with the threads that push our mixes
 * through CustomAudioSource ("Check failed: !race_checker.RaceDetected()" in audio_send_stream.cc;
 * webrtc-java issues #118 and #217, fixed upstream after 0.14 by gating device capture).
 *
 * <p>So every SDP exchange of the factory runs with all audio pushes paused (the clocks that push
 * check {@link #open()} each tick, a volatile read, no lock), and once libwebrtc has started the
 * recording, it is stopped again before pushes resume. The semaphore here is taken only on the
 * control path that negotiates, never on a clock or libwebrtc thread. The cost falls on the
 * streams of the factory only: the mixer gives each participant a factory of its own, so a joining
 * participant starts hearing the mix 60 ms after it connects and nobody else notices; clients that
 * share one factory (the synthetic participants) pause all their sends. Remove this class when a
 * webrtc-java release with the upstream fix is available.
 */
public final class AudioSendGuard {

    /**
     * How long a negotiation waits for its peer to connect when nothing ends it sooner. Past it,
     * pushes resume; a send stream that starts later would start the recording again, the hazard
     * this class exists for, so the wait must outlast any connection that can still succeed.
     */
    static final long SHARED_ESTABLISH_MS = 5_000;
    /** A factory of one peer pauses nobody else: wait past libwebrtc's own ICE failure (~30 s). */
    static final long OWN_ESTABLISH_MS = 60_000;
    private static final long SETTLE_MS = 60;
    private static final long TICK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final AudioDeviceModuleBase audioDevice;
    private final Executor handoff;
    private final long establishMs;
    // A semaphore, not a lock: the negotiation ends on another thread than the one that began it.
    private final Semaphore negotiation = new Semaphore(1);
    private final Set<MediaClock> pushers = ConcurrentHashMap.newKeySet();
    private final Object device = new Object(); // orders a late finish() against close()
    private boolean deviceClosed;
    private volatile boolean open = true;

    AudioSendGuard(AudioDeviceModuleBase audioDevice, Executor handoff, long establishMs) {
        this.audioDevice = audioDevice;
        this.handoff = handoff;
        this.establishMs = establishMs;
    }

    /** Whether audio may be pushed into custom sources now; read by pushing clocks every tick. */
    public boolean open() {
        return open;
    }

    /** Registers a clock that pushes audio, so a negotiation can wait for its current tick. */
    public void register(MediaClock clock) {
        pushers.add(clock);
    }

    public void unregister(MediaClock clock) {
        pushers.remove(clock);
    }

    /** Forgets every registered clock (the factory goes to another participant). */
    void unregisterAll() {
        pushers.clear();
    }

    /** Whether no negotiation is under way (one that has not finished would block the next). */
    boolean idle() {
        return negotiation.availablePermits() > 0;
    }

    /**
     * Runs an SDP exchange with every push of the factory paused. libwebrtc starts an audio send
     * stream (and with it the device recording) only once the transport is writable, so pushes stay
     * paused until {@code established} completes (normally or not: a peer that closes ends it) or a
     * timeout passes, then the recording is stopped and
     * pushes resume. The exchange's own result is returned at once, so its answer can be sent.
     * Blocks the calling control thread while another negotiation of this factory is under way.
     */
    public <T> CompletableFuture<T> negotiate(Supplier<CompletableFuture<T>> exchange,
                                              Supplier<CompletableFuture<?>> established) {
        negotiation.acquireUninterruptibly();
        CompletableFuture<T> result;
        try {
            open = false;
            for (MediaClock clock : pushers) {
                clock.awaitTickBoundary(TICK_WAIT_NANOS);
            }
            result = exchange.get();
        } catch (Throwable e) {
            finish();
            throw e;
        }
        result.thenCompose(answer -> established.get())
                .orTimeout(establishMs, TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> null,
                        CompletableFuture.delayedExecutor(SETTLE_MS, TimeUnit.MILLISECONDS, handoff))
                .whenComplete((ok, error) -> finish());
        return result;
    }

    private void finish() {
        try {
            synchronized (device) {
                if (!deviceClosed) {
                    audioDevice.stopRecording();
                }
            }
        } finally {
            open = true;
            negotiation.release();
        }
    }

    /** The factory is being disposed: a negotiation that finishes later leaves the device alone. */
    void close() {
        synchronized (device) {
            deviceClosed = true;
        }
    }
}
