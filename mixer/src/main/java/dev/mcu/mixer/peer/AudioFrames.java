package dev.mcu.mixer.peer;

/**
 * The length of the Opus frames on a peer's audio, set through SDP's {@code a=ptime}: libwebrtc
 * builds each Opus encoder from the remote description's format parameters, and {@code ptime}
 * among them picks the frame length (RFC 4566: the receiver's wish). Applied to the client's offer
 * before the mixer applies it, it sets the mixer's encoder; in the answer, it asks the client's
 * encoder for the same. Longer frames are for the smallest links: at 20 ms a mix's packets cost about
 * 26 kbit/s of headers (IP, UDP, SRTP, RTP and its extensions) whatever the codec's bitrate, at
 * 60 ms a third of that, which is what lets a 64 kbit/s link carry a moving picture beside the sound
 * (docs/PERFORMANCE.md, "Constrained links"). A client's own {@code a=maxptime} still bounds it.
 * A client sets its own encoder the same way, by applying the mixer's answer again with it.
 */
public final class AudioFrames {

    /** libwebrtc's frame length when the remote side asks for none. */
    public static final int DEFAULT_MS = 20;

    private AudioFrames() {
    }

    /**
     * The SDP with its audio sections' {@code a=ptime} set to {@code ms}, or removed for the default.
     * Other lines, and their line endings, are kept as they are.
     */
    public static String request(String sdp, int ms) {
        StringBuilder out = new StringBuilder(sdp.length() + 16);
        boolean audio = false;
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            String line = sdp.substring(start, next);
            if (line.startsWith("m=")) {
                if (audio) {
                    appendPtime(out, ms);
                }
                audio = line.startsWith("m=audio");
            }
            if (!(audio && line.startsWith("a=ptime:"))) {
                out.append(line);
            }
            start = next;
        }
        if (audio) {
            appendPtime(out, ms);
        }
        return out.toString();
    }

    private static void appendPtime(StringBuilder out, int ms) {
        if (ms == DEFAULT_MS) {
            return;
        }
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append("\r\n");
        }
        out.append("a=ptime:").append(ms).append("\r\n");
    }
}
