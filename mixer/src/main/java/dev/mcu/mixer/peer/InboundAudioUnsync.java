package dev.mcu.mixer.peer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes a participant's audio out of its video's sync group before the mixer applies the offer.
 * <p>
 * A client sends camera and microphone in one stream, so libwebrtc on the mixer would lip-sync them
 * as a player does: hold the audio back to the video's decode delay, and the video back to the audio
 * plus the audio device's playout delay, which webrtc-java's headless device reports as a fixed 50 ms
 * that no sound card adds here. Both only delay the mix. The mixer is not a player: it mixes each
 * participant's audio as soon as it is decoded and composites the newest frame, stamps both outputs
 * on one clock, and leaves lip sync to each viewer, which syncs the mix's audio and video (both in
 * stream {@code mix}). Rewriting the audio sections' msid stream to {@code -} (no stream, RFC 8830)
 * keeps the track and gives it no sync group.
 */
final class InboundAudioUnsync {

    private static final Pattern MSID = Pattern.compile("^(a=msid:)\\S+( \\S+)?$");
    private static final Pattern SSRC_MSID = Pattern.compile("^(a=ssrc:\\d+ msid:)\\S+( \\S+)?$");

    private InboundAudioUnsync() {
    }

    static String rewrite(String sdp) {
        StringBuilder out = new StringBuilder(sdp.length());
        boolean audio = false;
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            int lineEnd = end < 0 ? sdp.length() : (end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            String line = sdp.substring(start, lineEnd);
            if (line.startsWith("m=")) {
                audio = line.startsWith("m=audio ");
            } else if (audio) {
                line = noStream(line);
            }
            out.append(line).append(sdp, lineEnd, next);
            start = next;
        }
        return out.toString();
    }

    private static String noStream(String line) {
        for (Pattern p : new Pattern[] {MSID, SSRC_MSID}) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m.group(1) + "-" + (m.group(2) == null ? "" : m.group(2));
            }
        }
        return line;
    }
}
