package dev.mcu.mixer.peer;

import java.util.regex.Pattern;

/**
 * Discontinuous transmission for silence, both ways. A client's offer gets {@code usedtx=1} on its
 * Opus format before the mixer applies it: libwebrtc configures each sender from the remote side's
 * format parameters, and {@code usedtx} is a receiver's wish that its sender use DTX (RFC 7587), so
 * the mixer's own encoders use it. A mix that is silent (everyone but the listener quiet: the only
 * speaker's mix-minus, a room between sentences) then goes out as a packet every few hundred
 * milliseconds instead of fifty a second, which the client's decoder fills with comfort noise; the
 * mixer mixes nothing below its silence floor, so such a mix is digital silence. The mixer's answer
 * carries the same wish back: a client that honours it (libwebrtc does) sends its own silence as DTX,
 * which the mixer then need not decode packet by packet. Off with the system property
 * {@value #OFF_PROPERTY} (benchmarks only).
 */
final class OpusDtx {

    /** System property for benchmarks only: when true, offers keep their own Opus parameters. */
    static final String OFF_PROPERTY = "mcu.bench.noOpusDtx";

    private static final Pattern RTPMAP = Pattern.compile("^a=rtpmap:(\\d+) opus/48000(/2)?$", Pattern.CASE_INSENSITIVE);

    private OpusDtx() {
    }

    static String request(String sdp) {
        if (Boolean.getBoolean(OFF_PROPERTY)) {
            return sdp;
        }
        // A client's own usedtx stands.
        return FormatParameters.rewrite(sdp, RTPMAP,
                p -> FormatParameters.has(p, "usedtx") ? p : FormatParameters.append(p, "usedtx=1"));
    }
}
