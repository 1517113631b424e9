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
 * webrtc-java issues #118 and #217, fixed upstream after 0.14 by gating device capture). The race
 * checker trips only on concurrent entry, so the cure is that no push runs while the recording does.
 *
 * <p>The mixer starts its send streams itself. A negotiation ({@link #exchange}) pauses every push
 * into the factory's streams (the clocks that push check {@link #open()} each tick, a volatile read,
 * no lock) until its answer is applied and the peer's outbound audio encoding made inactive, so that
 * libwebrtc cannot start that stream on its own afterwards; a recording started meanwhile is stopped
 * before pushes resume. {@link #activate} starts the stream later, paused the same way: it waits for
 * the pushing clocks' current tick, starts the stream, stops the recording libwebrtc started at once
 * (that joins the capture thread) and only then opens again. Each pause lasts a few ticks, for the
 * peers of that factory only (one room's), and their mix is held meanwhile, not lost.
 *
 * <p>A client of webrtc-java that cannot start its streams itself uses {@link #negotiate}: pushes
 * stay paused from the SDP exchange until the peer is established. Nothing here blocks a caller:
 * pauses of one factory may overlap, and each only extends the pause.
 *
 * <p>Where the factory's device recording is turned off for good ({@link AudioDeviceBypass}, the normal
 * case), nothing can race the pushes and the guard does nothing: it is always open, and exchanges and
 * activations run at once. The pauses remain for a libwebrtc build where that cannot be done.
 */
public final class AudioSendGuard {

    private static final System.Logger LOG = System.getLogger(AudioSendGuard.class.getName());
    /**
     * How long a negotiation waits for its peer to be established when nothing ends it sooner. A send
     * stream starting after the pause would start the recording again.
     */
    private static final long ESTABLISH_MS = 5_000;
    /**
     * After the last negotiation, for libwebrtc's worker thread to finish what the exchange began
     * (a renegotiation of a peer whose stream runs already is not gated on its statistics).
     */
    private static final long SETTLE_MS = 60;
    private static final long TICK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final AudioDeviceModuleBase audioDevice;
    private final Executor handoff;
    /** False where the device can never record: then nothing is ever paused. */
    private final boolean pauses;
    private final Set<MediaClock> pushers = ConcurrentHashMap.newKeySet();
    private boolean deviceClosed;
    /** Negotiations under way; pushes are paused while there is any (guarded by {@code this}). */
    private int inFlight;
    /** Raised by {@link #reset()}: negotiations of an earlier generation no longer count. */
    private long generation;
    private volatile boolean open = true;

    /** @param deviceMayRecord whether libwebrtc may start the device's recording (then pushes pause) */
    AudioSendGuard(AudioDeviceModuleBase audioDevice, Executor handoff, boolean deviceMayRecord) {
        this.audioDevice = audioDevice;
        this.handoff = handoff;
        this.pauses = deviceMayRecord;
    }

    /** Whether this guard pauses pushes at all (false once the device's recording is off for good). */
    public boolean pauses() {
        return pauses;
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
        if (!pauses) {
            return exchange.get();
        }
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
                .orTimeout(ESTABLISH_MS, TimeUnit.MILLISECONDS)
                .handleAsync((ok, error) -> null,
                        CompletableFuture.delayedExecutor(SETTLE_MS, TimeUnit.MILLISECONDS, handoff))
                .whenComplete((ok, error) -> finish(gen));
        return result;
    }

    /**
     * Runs an SDP exchange of the mixer's with every push of the factory paused until it completes
     * (normally or not): the exchange leaves the peer's audio stream unable to start on its own (see
     * the class comment), so the pause need not wait for the peer to connect. Never blocks the caller.
     */
    public <T> CompletableFuture<T> exchange(Supplier<CompletableFuture<T>> exchange) {
        if (!pauses) {
            return exchange.get();
        }
        long gen;
        synchronized (this) {
            inFlight++;
            open = false;
            gen = generation;
        }
        CompletableFuture<T> result = CompletableFuture.runAsync(this::awaitPushersPastTick, handoff)
                .thenCompose(ignored -> exchange.get());
        result.whenComplete((ok, error) -> finish(gen));
        return result;
    }

    /**
     * Starts a send stream of the factory with every push paused: on the hand-off executor, once
     * the pushing clocks are past their current tick, runs {@code start} (which makes libwebrtc start
     * the stream and the device's recording), stops that recording and opens again. Never blocks the
     * caller; the future completes when pushes may resume (exceptionally if {@code start} threw).
     */
    public CompletableFuture<Void> activate(Runnable start) {
        if (!pauses) {
            return CompletableFuture.runAsync(start, handoff);
        }
        long gen;
        synchronized (this) {
            inFlight++;
            open = false;
            gen = generation;
        }
        // Every activation waits for the tick boundary itself: one under way may not have got there.
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            awaitPushersPastTick();
            start.run();
        }, handoff);
        return started.whenComplete((ok, error) -> finish(gen));
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
