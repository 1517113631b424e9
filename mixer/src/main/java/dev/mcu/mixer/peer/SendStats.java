package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;

import java.util.Map;

/**
 * What libwebrtc says about one peer's sending side: its bandwidth estimate
 * ({@code availableOutgoingBitrate} of the selected candidate pair) and what its video encoder
 * actually sends (size and frame rate, which libwebrtc lowers on its own when the estimate starves
 * it, and why: {@code qualityLimitationReason}).
 *
 * @param estimateKbps NaN while no candidate pair is selected
 */
public record SendStats(double estimateKbps, int frameWidth, int frameHeight, double framesPerSecond,
                        String qualityLimitation) {

    public static final SendStats NONE = new SendStats(Double.NaN, 0, 0, 0, "none");

    static SendStats of(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        double estimate = Double.NaN;
        String selected = null;
        for (RTCStats s : all.values()) {
            if (s.getType() == RTCStatsType.TRANSPORT && s.getAttributes().get("selectedCandidatePairId") instanceof String id) {
                selected = id;
            }
        }
        RTCStats pair = selected == null ? null : all.get(selected);
        if (pair != null && pair.getAttributes().get("availableOutgoingBitrate") instanceof Number n) {
            estimate = n.doubleValue() / 1000;
        }
        int width = 0;
        int height = 0;
        double fps = 0;
        String limitation = "none";
        for (RTCStats s : all.values()) {
            Map<String, Object> a = s.getAttributes();
            if (s.getType() == RTCStatsType.OUTBOUND_RTP && "video".equals(a.get("kind"))) {
                width = a.get("frameWidth") instanceof Number n ? n.intValue() : 0;
                height = a.get("frameHeight") instanceof Number n ? n.intValue() : 0;
                fps = a.get("framesPerSecond") instanceof Number n ? n.doubleValue() : 0;
                limitation = a.get("qualityLimitationReason") instanceof String r ? r : "none";
            }
        }
        return new SendStats(estimate, width, height, fps, limitation);
    }
}
