package dev.mcu.mixer;

import dev.mcu.mixer.video.ViewSpec;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of a mixer worker. Every field has a documented default ({@link #defaults()});
 * {@link #validate()} rejects values the media path cannot honour before anything native starts.
 *
 * @param videoFps           the room video clock's rate; views may ask for less, never more (default 30)
 * @param defaultWidth       composite width of a view that asks for nothing (default 640)
 * @param defaultHeight      composite height of a view that asks for nothing (default 360)
 * @param maxWidth           the largest composite a view may ask for (default 1280)
 * @param maxHeight          the largest composite a view may ask for (default 720)
 * @param defaultBitrateKbps encoder ceiling of a view that asks for nothing (default 800)
 * @param maxBitrateKbps     the highest encoder ceiling a view may ask for (default 4000)
 * @param loudestN           how many inputs, the loudest, are mixed per audio tick (default 3)
 * @param jitterChunks       capacity of each participant's audio queue, in 10 ms chunks (default 8)
 * @param speakerHoldMs      how long an active speaker keeps the floor before another may take it (default 1000)
 * @param peerTimeoutMs      how long a peer may stay ICE-disconnected before it counts as failed (default 10000)
 * @param connectTimeoutMs   how long a participant may take from join to a connected peer before it is
 *                           removed with reason {@code timeout} (default 20000)
 * @param maxPeers           the most participants the worker hosts at once; joins beyond it are refused
 *                           with {@code unavailable} (default 128)
 * @param peersPerFactory    the most participants of one room that share a libwebrtc factory (its threads
 *                           and audio device); 1 gives each its own, the design before rooms shared them
 *                           (default 16; see {@code peer/PeerFactoryPool})
 * @param videoCodecs        outbound codec preference, first supported by the viewer's offer wins
 * @param minPort            lowest UDP port for ICE, 0 for any (default 0)
 * @param maxPort            highest UDP port for ICE, 0 for any (default 0)
 * @param tiers              whether viewers move between bandwidth tiers on their own (default true; false
 *                           leaves a starved view to libwebrtc's own scaling, for comparison)
 */
public record MixerConfig(int videoFps,
                          int defaultWidth,
                          int defaultHeight,
                          int maxWidth,
                          int maxHeight,
                          int defaultBitrateKbps,
                          int maxBitrateKbps,
                          int loudestN,
                          int jitterChunks,
                          int speakerHoldMs,
                          int peerTimeoutMs,
                          int connectTimeoutMs,
                          int maxPeers,
                          int peersPerFactory,
                          List<String> videoCodecs,
                          int minPort,
                          int maxPort,
                          boolean tiers) {

    /** Codecs libwebrtc can send. */
    public static final List<String> KNOWN_VIDEO_CODECS = List.of("H264", "VP8", "VP9", "AV1");

    public MixerConfig {
        videoCodecs = List.copyOf(Objects.requireNonNull(videoCodecs, "videoCodecs"));
    }

    public static MixerConfig defaults() {
        // H.264 first: 18-31 % less mixer CPU than VP8 for about 1 dB less PSNR at 300 kbps
        // (docs/PERFORMANCE.md, "Codec choice").
        return new MixerConfig(30, 640, 360, 1280, 720, 800, 4000, 3, 8, 1000, 10_000, 20_000, 128, 16,
                List.of("H264", "VP8", "VP9", "AV1"), 0, 0, true);
    }

    public MixerConfig withTiers(boolean on) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, peerTimeoutMs, connectTimeoutMs, maxPeers, peersPerFactory,
                videoCodecs, minPort, maxPort, on);
    }

    public MixerConfig withLoudestN(int n) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, n, jitterChunks, speakerHoldMs, peerTimeoutMs, connectTimeoutMs, maxPeers, peersPerFactory, videoCodecs,
                minPort, maxPort, tiers);
    }

    public MixerConfig withVideoCodecs(List<String> codecs) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, peerTimeoutMs, connectTimeoutMs, maxPeers, peersPerFactory, codecs,
                minPort, maxPort, tiers);
    }

    public MixerConfig withPeerTimeoutMs(int ms) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, ms, connectTimeoutMs, maxPeers, peersPerFactory, videoCodecs,
                minPort, maxPort, tiers);
    }

    public MixerConfig withConnectTimeoutMs(int ms) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, peerTimeoutMs, ms, maxPeers, peersPerFactory, videoCodecs,
                minPort, maxPort, tiers);
    }

    public MixerConfig withMaxPeers(int n) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, peerTimeoutMs, connectTimeoutMs, n, peersPerFactory, videoCodecs,
                minPort, maxPort, tiers);
    }

    public MixerConfig withPeersPerFactory(int n) {
        return new MixerConfig(videoFps, defaultWidth, defaultHeight, maxWidth, maxHeight, defaultBitrateKbps,
                maxBitrateKbps, loudestN, jitterChunks, speakerHoldMs, peerTimeoutMs, connectTimeoutMs, maxPeers, n,
                videoCodecs, minPort, maxPort, tiers);
    }

    /** @throws IllegalArgumentException naming the first setting that is out of range */
    public MixerConfig validate() {
        range("videoFps", videoFps, 1, 60);
        range("maxWidth", maxWidth, ViewSpec.MIN_WIDTH, 3840);
        range("maxHeight", maxHeight, ViewSpec.MIN_HEIGHT, 2160);
        range("defaultWidth", defaultWidth, ViewSpec.MIN_WIDTH, maxWidth);
        range("defaultHeight", defaultHeight, ViewSpec.MIN_HEIGHT, maxHeight);
        range("maxBitrateKbps", maxBitrateKbps, Math.max(50, ViewSpec.MIN_BITRATE_KBPS), 50_000);
        range("defaultBitrateKbps", defaultBitrateKbps, 50, maxBitrateKbps);
        range("loudestN", loudestN, 1, 64);
        range("jitterChunks", jitterChunks, 2, 50);
        range("speakerHoldMs", speakerHoldMs, 0, 60_000);
        range("peerTimeoutMs", peerTimeoutMs, 100, 600_000);
        range("connectTimeoutMs", connectTimeoutMs, 1_000, 120_000);
        range("maxPeers", maxPeers, 1, 1_000);
        range("peersPerFactory", peersPerFactory, 1, 1_000);
        range("minPort", minPort, 0, 65535);
        range("maxPort", maxPort, minPort == 0 ? 0 : minPort, 65535);
        if (videoCodecs.isEmpty()) {
            throw new IllegalArgumentException("videoCodecs must name at least one codec of " + KNOWN_VIDEO_CODECS);
        }
        for (String codec : videoCodecs) {
            if (!KNOWN_VIDEO_CODECS.contains(codec.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("videoCodecs: unknown codec '" + codec + "', expected one of "
                        + KNOWN_VIDEO_CODECS);
            }
        }
        return this;
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
