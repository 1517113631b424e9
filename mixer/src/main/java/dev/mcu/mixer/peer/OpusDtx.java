package dev.mcu.mixer.peer;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
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
    private static final Pattern FMTP = Pattern.compile("^a=fmtp:(\\d+) (.*)$");

    private OpusDtx() {
    }

    static String request(String sdp) {
        if (Boolean.getBoolean(OFF_PROPERTY)) {
            return sdp;
        }
        Set<String> opus = new HashSet<>();
        Set<String> withFmtp = new HashSet<>();
        for (String line : sdp.split("\r?\n")) {
            Matcher r = RTPMAP.matcher(line);
            if (r.matches()) {
                opus.add(r.group(1));
            }
            Matcher f = FMTP.matcher(line);
            if (f.matches()) {
                withFmtp.add(f.group(1));
            }
        }
        if (opus.isEmpty()) {
            return sdp;
        }
        StringBuilder out = new StringBuilder(sdp.length() + 32);
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            int lineEnd = end < 0 ? sdp.length() : (end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            String eol = sdp.substring(lineEnd, next);
            String line = sdp.substring(start, lineEnd);
            Matcher f = FMTP.matcher(line);
            if (f.matches() && opus.contains(f.group(1)) && !hasDtx(f.group(2))) {
                line = line + ";usedtx=1";
            }
            out.append(line).append(eol);
            Matcher r = RTPMAP.matcher(line);
            if (r.matches() && !withFmtp.contains(r.group(1))) {
                out.append("a=fmtp:").append(r.group(1)).append(" usedtx=1").append(eol.isEmpty() ? "\r\n" : eol);
            }
            start = next;
        }
        return out.toString();
    }

    private static boolean hasDtx(String parameters) {
        for (String p : parameters.split(";")) {
            if (p.trim().toLowerCase(java.util.Locale.ROOT).startsWith("usedtx=")) {
                return true;
            }
        }
        return false;
    }
}
