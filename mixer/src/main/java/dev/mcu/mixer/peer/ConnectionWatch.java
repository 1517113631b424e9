package dev.mcu.mixer.peer;

import dev.mcu.events.signal.LeaveReason;
import dev.onvoid.webrtc.RTCPeerConnectionState;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Whether one peer is connected, and the two deadlines that fail it: a client that joins and never
 * connects (no offer, no ICE, a dead network) times out after the connect timeout, and one that
 * loses its connection after the disconnect timeout unless it comes back. Fed the connection's
 * states on libwebrtc's signaling thread; reports through the peer's {@link MixerPeer.Events}.
 */
final class ConnectionWatch {

    private final MixerPeer.Events events;
    private final ScheduledExecutorService timer;
    private final long timeoutMs;
    private final BooleanSupplier closed;
    private final Runnable firstConnected;
    private final CompletableFuture<Void> connectedOnce = new CompletableFuture<>();
    private final ScheduledFuture<?> connectTimer;
    private volatile boolean connected;
    private ScheduledFuture<?> disconnectTimer;

    /**
     * @param firstConnected run once, on the first connection, before {@code events.connected()}
     */
    ConnectionWatch(MixerPeer.Events events, ScheduledExecutorService timer, long timeoutMs, long connectTimeoutMs,
                    BooleanSupplier closed, Runnable firstConnected) {
        this.events = events;
        this.timer = timer;
        this.timeoutMs = timeoutMs;
        this.closed = closed;
        this.firstConnected = firstConnected;
        this.connectTimer = timer.schedule(() -> {
            if (!closed.getAsBoolean() && !connectedOnce.isDone()) {
                events.failed(LeaveReason.TIMEOUT);
            }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    boolean connected() {
        return connected;
    }

    /** Completes when the peer first connects; exceptionally if it closes before. */
    CompletableFuture<Void> connectedOnce() {
        return connectedOnce;
    }

    /** Whether the peer has connected at some point (a close before that completes connectedOnce exceptionally). */
    boolean hasConnected() {
        return connectedOnce.isDone() && !connectedOnce.isCompletedExceptionally();
    }

    void state(RTCPeerConnectionState state) {
        if (closed.getAsBoolean()) {
            return;
        }
        switch (state) {
            case CONNECTED -> {
                synchronized (this) {
                    if (disconnectTimer != null) {
                        disconnectTimer.cancel(false);
                        disconnectTimer = null;
                    }
                }
                connected = true;
                if (connectedOnce.complete(null)) {
                    firstConnected.run();
                }
                events.connected();
            }
            case DISCONNECTED -> {
                connected = false;
                synchronized (this) {
                    if (disconnectTimer == null) {
                        disconnectTimer = timer.schedule(() -> {
                            if (!closed.getAsBoolean() && !connected) {
                                events.failed(LeaveReason.TIMEOUT);
                            }
                        }, timeoutMs, TimeUnit.MILLISECONDS);
                    }
                }
            }
            case FAILED -> {
                connected = false;
                events.failed(LeaveReason.DISCONNECTED);
            }
            default -> {
            }
        }
    }

    /** The peer closes: its timers stop, and a negotiation waiting for it to connect ends now. */
    void close(String why) {
        connected = false;
        connectedOnce.completeExceptionally(new IllegalStateException(why));
        connectTimer.cancel(false);
        synchronized (this) {
            if (disconnectTimer != null) {
                disconnectTimer.cancel(false);
            }
        }
    }
}
