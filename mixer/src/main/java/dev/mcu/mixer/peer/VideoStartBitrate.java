package dev.mcu.mixer.peer;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Where the mixer's bandwidth estimate towards a client starts, set through the client's offer:
 * libwebrtc takes its congestion controller's start, floor and ceiling from the remote description's
 * video format parameters ({@code x-google-start-bitrate}, {@code -min-}, {@code -max-}, kbit/s).
 * Its own start is 300 kbit/s; a viewer that joins behind a 64 kbit/s link then gets seconds of a
 * 640x360 picture at that rate, lost and retransmitted ahead of the small tier's first frames. Every
 * video format of an offer gets {@link #START_KBPS} instead; on a fast link libwebrtc's first probes
 * (three and six times the start) take the estimate past it within a second or two. The client's own
 * values are removed: a floor from a client would hold the mixer's sender at that rate whatever its
 * link does.
 */
final class VideoStartBitrate {

    /** The start of every viewer's estimate, kbit/s. */
    static final int START_KBPS = 100;

    private static final Pattern RTPMAP = Pattern.compile("^a=rtpmap:(\\d+) (H264|VP8|VP9|AV1)/90000$",
            Pattern.CASE_INSENSITIVE);

    private VideoStartBitrate() {
    }

    static String request(String sdp) {
        return FormatParameters.rewrite(sdp, RTPMAP, VideoStartBitrate::withStart);
    }

    private static String withStart(String parameters) {
        StringJoiner out = new StringJoiner(";");
        for (String p : parameters.split(";")) {
            String name = p.trim().toLowerCase(java.util.Locale.ROOT);
            if (!p.isBlank() && !name.startsWith("x-google-start-bitrate=") && !name.startsWith("x-google-min-bitrate=")
                    && !name.startsWith("x-google-max-bitrate=")) {
                out.add(p);
            }
        }
        out.add("x-google-start-bitrate=" + START_KBPS);
        return out.toString();
    }
}
