package dev.mcu.mixer.record;

import java.util.Map;

/**
 * How a tap's media is encoded and wrapped: a recording's WebM file (VP8, Opus) or a live stream's
 * FLV over RTMP (H.264 through OpenH264, AAC), which is what RTMP services take. Both come from
 * JavaCPP's LGPL FFmpeg build.
 *
 * @param formatOptions the muxer's and the protocol's options
 */
record Encoding(String format, String videoCodec, Map<String, String> videoOptions, String audioCodec,
                int audioBitrate, Map<String, String> formatOptions, boolean toFile) {

    /** Clusters closed every second and written out at once: a crash loses at most a second. */
    static final Encoding WEBM = new Encoding("webm", "libvpx",
            Map.of("deadline", "realtime", "cpu-used", "16", "lag-in-frames", "0", "threads", "1"), "libopus", 64_000,
            Map.of("cluster_time_limit", "1000", "flush_packets", "1"), true);

    /**
     * RTMP: a stalled connection fails a write after 10 s ({@code rw_timeout}, in microseconds)
     * instead of blocking the writer for good.
     */
    static final Encoding RTMP = new Encoding("flv", "libopenh264",
            Map.of("allow_skip_frames", "1", "profile", "constrained_baseline"), "aac", 128_000,
            Map.of("rw_timeout", "10000000", "flvflags", "no_duration_filesize"), false);
}
