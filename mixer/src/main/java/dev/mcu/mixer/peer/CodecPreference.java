package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCRtpCodecCapability;

import java.util.ArrayList;
import java.util.List;

/** Orders codec capabilities for a transceiver's setCodecPreferences. */
final class CodecPreference {

    private CodecPreference() {
    }

    /**
     * Every capability, those named first in the given order (case-insensitive), then the rest in
     * libwebrtc's order (rtx, red and ulpfec must stay in the list for retransmission and FEC).
     */
    static List<RTCRtpCodecCapability> order(List<RTCRtpCodecCapability> all, List<String> first) {
        List<RTCRtpCodecCapability> ordered = new ArrayList<>(all.size());
        for (String name : first) {
            for (RTCRtpCodecCapability c : all) {
                if (c.getName().equalsIgnoreCase(name) && !ordered.contains(c)) {
                    ordered.add(c);
                }
            }
        }
        for (RTCRtpCodecCapability c : all) {
            if (!ordered.contains(c)) {
                ordered.add(c);
            }
        }
        return ordered;
    }
}
