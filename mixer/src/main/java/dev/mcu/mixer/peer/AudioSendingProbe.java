package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells when a connected peer's outbound audio stream has started: its sender's statistics show
 * packets sent. libwebrtc starts the stream, and with it the audio device's recording, on its own
 * worker thread some time after "connected"; {@link AudioSendGuard} may stop the recording for good
 * only after that. Polls every 25 ms from the given timer, at most 5 s; never blocks, and catches
 * everything in the statistics callback (it runs on a libwebrtc thread).
 */
final class AudioSendingProbe {

    private static final long POLL_MS = 25;
    private static final long WAIT_MS = 5_000;

    private final RTCPeerConnection pc;
    private final Supplier<RTCRtpSender> sender;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    AudioSendingProbe(RTCPeerConnection pc, Supplier<RTCRtpSender> sender, ScheduledExecutorService timer) {
        this.pc = pc;
        this.sender = sender;
        this.timer = timer;
    }

    /**
     * Completes when packets have been sent, or 5 s after {@link #start} when the peer sends no
     * audio at all; exceptionally after {@link #cancel}.
     */
    CompletableFuture<Void> started() {
        return started;
    }

    /** The peer connected: starts polling. */
    void start() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        timer.execute(() -> poll(deadline));
    }

    /** The peer closed. */
    void cancel(String why) {
        started.completeExceptionally(new IllegalStateException(why));
    }

    private void poll(long deadlineNanos) {
        if (started.isDone()) {
            return;
        }
        RTCRtpSender s = sender.get();
        if (s == null || System.nanoTime() > deadlineNanos) {
            started.complete(null);
            return;
        }
        try {
            pc.getStats(s, report -> {
                try {
                    if (packetsSent(report) > 0) {
                        started.complete(null);
                    } else {
                        timer.schedule(() -> poll(deadlineNanos), POLL_MS, TimeUnit.MILLISECONDS);
                    }
                } catch (Throwable e) {
                    started.complete(null);
                }
            });
        } catch (Throwable e) {
            started.complete(null);
        }
    }

    private static long packetsSent(RTCStatsReport report) {
        long sent = 0;
        for (RTCStats stats : report.getStats().values()) {
            if (stats.getType() == RTCStatsType.OUTBOUND_RTP
                    && stats.getAttributes().get("packetsSent") instanceof Number n) {
                sent += n.longValue();
            }
        }
        return sent;
    }
}
