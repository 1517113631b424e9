package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;

import java.util.Map;

/**
 * How long what one peer receives waits in libwebrtc's inbound jitter buffers: the cumulative
 * {@code jitterBufferDelay} and {@code jitterBufferEmittedCount} of its inbound audio (per sample) and
 * video (per frame), as getStats gives them. Two readings a while apart give the recent average delay
 * of each; the audio's excess over the video's is how far the peer's sound lags its picture in the
 * mix (a picture is mixed as soon as it is decoded, a sound once NetEq plays it out).
 */
public record ReceiveDelays(double audioSeconds, long audioSamples, double videoSeconds, long videoFrames) {

    public static final ReceiveDelays NONE = new ReceiveDelays(0, 0, 0, 0);

    static ReceiveDelays of(RTCStatsReport report) {
        double audioSeconds = 0;
        long audioSamples = 0;
        double videoSeconds = 0;
        long videoFrames = 0;
        for (RTCStats s : report.getStats().values()) {
            if (s.getType() != RTCStatsType.INBOUND_RTP) {
                continue;
            }
            Map<String, Object> a = s.getAttributes();
            double delay = a.get("jitterBufferDelay") instanceof Number n ? n.doubleValue() : 0;
            long emitted = a.get("jitterBufferEmittedCount") instanceof Number n ? n.longValue() : 0;
            if ("audio".equals(a.get("kind"))) {
                audioSeconds += delay;
                audioSamples += emitted;
            } else if ("video".equals(a.get("kind"))) {
                videoSeconds += delay;
                videoFrames += emitted;
            }
        }
        return new ReceiveDelays(audioSeconds, audioSamples, videoSeconds, videoFrames);
    }

    /**
     * Milliseconds by which the sound waited longer than the picture since {@code earlier}; NaN
     * unless both were received meanwhile.
     */
    public double audioLagMsSince(ReceiveDelays earlier) {
        long samples = audioSamples - earlier.audioSamples;
        long frames = videoFrames - earlier.videoFrames;
        if (samples <= 0 || frames <= 0) {
            return Double.NaN;
        }
        return 1000 * ((audioSeconds - earlier.audioSeconds) / samples - (videoSeconds - earlier.videoSeconds) / frames);
    }
}
