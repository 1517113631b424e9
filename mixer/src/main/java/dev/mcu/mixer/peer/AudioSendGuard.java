package dev.mcu.mixer.peer;

import dev.mcu.mixer.clock.MediaClock;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Works around a libwebrtc/webrtc-java 0.14 hazard that aborts the process: when an audio send
 * stream starts, libwebrtc starts the audio device's recording, and the device's capture thread
 * then feeds every send stream of the factory, concurrently with the threads that push our mixes
 * through CustomAudioSource ("Check failed: !race_checker.RaceDetected()" in audio_send_stream.cc;
 * webrtc-java issues #118 and #217, fixed upstream after 0.14 by gating device capture).
 *
 * <p>So while any SDP exchange of the factory is under way, every audio push into the factory's
 * streams is paused (the clocks that push check {@link #open()} each tick, a volatile read, no
 * lock). A negotiation ends when its exchange has failed, or when the peer is established: it
 * connected and its audio send stream has started (the caller's {@code established} future; the
 * peer knows from its sender's statistics) or it closed. When the last negotiation under way ends,
 * the recording libwebrtc started is stopped (that joins the capture thread), and only then do
 * pushes resume. Nothing here blocks a caller: negotiations of one factory may overlap (a client's
 * repeated offers), and each only extends the pause.
 *
 * <p>The cost falls on the streams of the factory only: the mixer gives each participant a factory
 * of its own, so a joining participant starts hearing the mix once its stream runs and nobody else
 * notices. Remove this class when a webrtc-java release with the upstream fix is available.
 */
public final class AudioSendGuard {

    private static final System.Logger LOG = System.getLogger(AudioSendGuard.class.getName());
    /**
     * How long a negotiation waits for its peer to be established when nothing ends it sooner: past
     * the mixer's connect timeout, which removes a peer that does not connect (its close ends the
     * wait). A send stream starting after the pause would start the recording again.
     */
    static final long SHARED_ESTABLISH_MS = 5_000;
    static final long OWN_ESTABLISH_MS = 60_000;
    /**
     * After the last negotiation, for libwebrtc's worker thread to finish what the exchange began
     * (a renegotiation of a peer whose stream runs already is not gated on its statistics).
     */
    private static final long SETTLE_MS = 60;
    private static final long TICK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final AudioDeviceModuleBase audioDevice;
    private final Executor handoff;
    private final long establishMs;
    private final Set<MediaClock> pushers = ConcurrentHashMap.newKeySet();
    private boolean deviceClosed;
    /** Negotiations under way; pushes are paused while there is any (guarded by {@code this}). */
    private int inFlight;
    /** Raised by {@link #reset()}: negotiations of an earlier generation no longer count. */
    private long generation;
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

    /** Whether no negotiation is under way (a factory is lent again only then). */
    synchronized boolean idle() {
        return inFlight == 0;
    }

    /**
     * Runs an SDP exchange with every push of the factory paused, and keeps them paused until
     * {@code established} completes (normally or not) or the timeout passes. The exchange runs on
     * the hand-off executor once the pushing clocks are past their current tick; its result is
     * returned as soon as it is there, so the answer can be sent. Never blocks the caller.
     */
    public <T> CompletableFuture<T> negotiate(Supplier<CompletableFuture<T>> exchange,
                                              Supplier<CompletableFuture<?>> established) {
        boolean first;
        long gen;
        synchronized (this) {
            first = inFlight++ == 0;
            open = false;
            gen = generation;
        }
        CompletableFuture<Void> paused = first
                ? CompletableFuture.runAsync(this::awaitPushersPastTick, handoff)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<T> result = paused.thenCompose(ignored -> exchange.get());
        result.thenCompose(answer -> established.get())
                .orTimeout(establishMs, TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> null,
                        CompletableFuture.delayedExecutor(SETTLE_MS, TimeUnit.MILLISECONDS, handoff))
                .whenComplete((ok, error) -> finish(gen));
        return result;
    }

    private void awaitPushersPastTick() {
        for (MediaClock clock : pushers) {
            clock.awaitTickBoundary(TICK_WAIT_NANOS);
        }
    }

    /** One negotiation ended; the last one stops the recording (on this thread), then opens. */
    private synchronized void finish(long gen) {
        if (gen != generation || --inFlight > 0) {
            return; // ended by reset() already, or others still under way
        }
        stopRecordingAndOpen();
    }

    /**
     * The factory's peers are all closed (it goes back to the pool): negotiations still winding
     * down end now, so the factory is idle for the next participant at once.
     */
    synchronized void reset() {
        generation++;
        inFlight = 0;
        stopRecordingAndOpen();
    }

    private void stopRecordingAndOpen() {
        try {
            if (!deviceClosed) {
                audioDevice.stopRecording();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the audio device's recording failed", e);
        } finally {
            open = inFlight == 0;
        }
    }

    /** The factory is being disposed: a negotiation that finishes later leaves the device alone. */
    synchronized void close() {
        deviceClosed = true;
    }
}
