package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;

import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One peer's two senders of the mix and what their encoders are given: the video's ceiling, floor
 * and frame rate (kept across renegotiations), and the audio's activity and Opus range. An
 * audio-only listener has no video sender. Calls into the senders run on libwebrtc's signaling
 * thread, so nothing here is called on a libwebrtc thread while holding the audio lock.
 */
final class MixSenders {

    private static final System.Logger LOG = System.getLogger(MixSenders.class.getName());
    /** libwebrtc's Opus bitrate when given no range. */
    private static final int OPUS_DEFAULT_BPS = 32_000;
    /** The lowest an audio-only listener's mix goes: Opus's own floor, still intelligible speech. */
    private static final int OPUS_FLOOR_BPS = 6_000;

    private final String peerId;
    private final BooleanSupplier closed;
    private volatile RTCRtpSender audio;
    private volatile RTCRtpSender video;
    /** The video's last limits ({@link #limitVideo}): a renegotiation keeps them. */
    private volatile int videoMaxKbps = Integer.MAX_VALUE;
    private volatile int videoMaxFps = Integer.MAX_VALUE;
    private volatile int videoMinKbps;
    /** Guards the audio's parameters. Never taken on a libwebrtc thread. */
    private final Object audioLock = new Object();
    /** Whether the audio encoding is active (guarded by audioLock). */
    private boolean audioActive;
    /** The audio's bitrate ceiling in bit/s, null for libwebrtc's (guarded by audioLock). */
    private Integer audioMaxBitrate;

    /**
     * @param audioActive whether the audio encoding starts active (false where the factory's device
     *                    may record and the stream is started under a pause, see {@link AudioSendGuard})
     */
    MixSenders(String peerId, BooleanSupplier closed, boolean audioActive) {
        this.peerId = peerId;
        this.closed = closed;
        this.audioActive = audioActive;
    }

    /** The sender of the client's audio transceiver, which the mix's audio was attached to. */
    void attachedAudio(RTCRtpSender sender) {
        audio = sender;
    }

    /** The sender of the client's video transceiver (none for an audio-only listener). */
    void attachedVideo(RTCRtpSender sender) {
        video = sender;
    }

    /** Forgets the senders: the peer is closing and nothing may call into them. */
    void detach() {
        audio = null;
        video = null;
    }

    RTCRtpSender audio() {
        return audio;
    }

    boolean hasVideo() {
        return video != null;
    }

    int videoMaxKbps() {
        return videoMaxKbps;
    }

    int videoMaxFps() {
        return videoMaxFps;
    }

    int videoMinKbps() {
        return videoMinKbps;
    }

    /** See {@link MixerPeer#limitVideo(int, int, int)}. */
    void limitVideo(int maxBitrateKbps, int maxFps, int minBitrateKbps) {
        videoMaxKbps = maxBitrateKbps;
        videoMaxFps = maxFps;
        videoMinKbps = minBitrateKbps;
        updateEncodings(video, "encoder limits", encoding -> {
            encoding.maxBitrate = maxBitrateKbps * 1000;
            encoding.minBitrate = minBitrateKbps > 0 ? minBitrateKbps * 1000 : null;
            encoding.maxFramerate = (double) maxFps;
            encoding.scaleResolutionDownBy = 1.0;
            encoding.active = true;
        });
    }

    /** The Opus ceiling in kbit/s; 0 restores libwebrtc's (32 kbit/s mono). */
    void limitAudio(int kbps) {
        synchronized (audioLock) {
            audioMaxBitrate = kbps > 0 ? kbps * 1000 : null;
            applyAudio();
        }
    }

    /** Starts or stops the audio stream. */
    void audioActive(boolean active) {
        synchronized (audioLock) {
            audioActive = active;
            applyAudio();
        }
    }

    /** Gives the audio encoding its settings again: an answer made a new one. */
    void reapplyAudio() {
        synchronized (audioLock) {
            applyAudio();
        }
    }

    /** Called with audioLock held. */
    private void applyAudio() {
        boolean active = audioActive;
        // libwebrtc holds Opus at 32 kbit/s whatever its estimate unless given a range; an audio-only
        // listener gets one, so its mix follows the estimate down a narrow link instead of
        // overflowing it. (A video viewer's audio is set by its tier: the picture shares its link.)
        boolean adaptive = video == null;
        Integer max = audioMaxBitrate != null ? audioMaxBitrate : adaptive ? OPUS_DEFAULT_BPS : null;
        updateEncodings(audio, "audio encoding", encoding -> {
            encoding.active = active;
            encoding.maxBitrate = max;
            encoding.minBitrate = adaptive ? OPUS_FLOOR_BPS : null;
        });
    }

    /** Changes every encoding of a sender's parameters; a refusal is logged, never thrown. */
    private void updateEncodings(RTCRtpSender sender, String what, Consumer<RTCRtpEncodingParameters> change) {
        if (sender == null || closed.getAsBoolean()) {
            return;
        }
        try {
            RTCRtpSendParameters parameters = sender.getParameters();
            if (parameters.encodings == null) {
                return;
            }
            parameters.encodings.forEach(change);
            sender.setParameters(parameters);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "peer " + peerId + ": " + what + " not applied", e);
        }
    }
}
