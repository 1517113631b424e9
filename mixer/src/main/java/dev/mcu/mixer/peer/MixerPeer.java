package dev.mcu.mixer.peer;

import dev.mcu.events.sdp.CandidateLine;
import dev.mcu.events.sdp.InvalidSdpException;
import dev.mcu.events.sdp.SdpOffer;
import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.signal.LeaveReason;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One participant's RTCPeerConnection on the mixer: the client offers, the mixer answers with one
 * outbound audio and one outbound video track (stream id {@code mix}) attached to the client's own
 * transceivers. Inbound tracks feed the given sinks. Every observer callback catches everything
 * (an exception escaping into native code crashes the JVM) and only hands over.
 *
 * <p>The peers of a room share a libwebrtc factory, borrowed from the worker's {@link PeerFactoryPool}
 * and given back when the peer closes. A factory's audio device, once libwebrtc starts its recording,
 * feeds every audio send stream of the factory and races our pushes (see {@link AudioSendGuard}).
 * Normally the factory has turned that recording off for good ({@link AudioDeviceBypass}) and the
 * outbound audio simply runs. Where it could not, libwebrtc must never start a stream on its own: each
 * exchange leaves the outbound audio encoding inactive before its answer is handed back (the room runs
 * it inside {@link AudioSendGuard#exchange}), and the peer starts the stream once connected, through
 * {@link AudioSendGuard#activate}: the room's sound pauses for a few ticks at a time (held, not lost).
 */
public final class MixerPeer implements AutoCloseable {

    /** Stream id of the mixed stream, as PROTOCOL.md section 1 names it. */
    public static final String STREAM_ID = "mix";

    /** What the peer reports to its owner; called on libwebrtc threads, so implementations only hand over. */
    public interface Events {
        void localCandidate(RTCIceCandidate candidate);

        void connected();

        void failed(LeaveReason reason);
    }

    private static final System.Logger LOG = System.getLogger(MixerPeer.class.getName());
    private static final AtomicInteger OPEN = new AtomicInteger();
    /** libwebrtc's Opus bitrate when given no range. */
    private static final int OPUS_DEFAULT_BPS = 32_000;
    /** The lowest an audio-only listener's mix goes: Opus's own floor, still intelligible speech. */
    private static final int OPUS_FLOOR_BPS = 6_000;

    private final String id;
    private final PeerFactoryPool pool;
    private final PeerFactory factory;
    private final Events events;
    private final ScheduledExecutorService timer;
    private final Executor handoff;
    private final long timeoutMs;
    private final CustomVideoSource videoSource;
    private final CustomAudioSource audioSource;
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final RTCPeerConnection pc;
    private final RemoteTrackSinks inbound;
    private final RemoteCandidates remoteCandidates;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object statsLock = new Object();
    private volatile boolean connected;
    private final CompletableFuture<Void> connectedOnce = new CompletableFuture<>();
    private volatile String videoCodec;
    /** The outbound video's last limits ({@link #limitVideo}): a renegotiation keeps them. */
    private volatile int videoMaxKbps = Integer.MAX_VALUE;
    private volatile int videoMaxFps = Integer.MAX_VALUE;
    private volatile int videoMinKbps;
    /** See {@link #audioFrameLength}. */
    private volatile int audioFrameMs = AudioFrames.DEFAULT_MS;
    private volatile Negotiated negotiated;
    private volatile RTCRtpSender videoSender;
    private ScheduledFuture<?> disconnectTimer;
    private final ScheduledFuture<?> connectTimer;
    private final OfferQueue offers = new OfferQueue();
    private volatile RTCRtpSender audioSender;
    private final LocalCandidates localCandidates;
    private final AudioSendingProbe audioSending;
    /**
     * Guards the outbound audio's parameters. Never taken on a libwebrtc thread: its holder calls
     * into the sender, which runs on the signaling thread.
     */
    private final Object audioLock = new Object();
    /** Whether the outbound audio encoding is active (guarded by audioLock). */
    private boolean audioActive;
    /**
     * Whether the factory's device may record (see {@link AudioSendGuard}): then the audio encoding
     * is kept inactive through negotiations and started under a pause; otherwise it is always active.
     */
    private final boolean pausesAudio;
    /** The outbound audio's bitrate ceiling in bit/s, null for libwebrtc's (guarded by audioLock). */
    private Integer audioMaxBitrate;

    /**
     * Borrows a factory of {@code room}'s from {@code pool}; {@link #close()} gives it back.
     *
     * @param timeoutMs        how long the peer may stay disconnected before it fails ({@code timeout})
     * @param connectTimeoutMs how long it may take to connect at all before it fails ({@code timeout})
     * @throws PeerFactoryPool.ExhaustedException when the worker lends no more factories
     */
    public MixerPeer(PeerFactoryPool pool, String room, String id, VideoTrackSink videoSink, AudioTrackSink audioSink,
                     Events events, ScheduledExecutorService timer, Executor handoff, long timeoutMs,
                     long connectTimeoutMs) {
        this.id = id;
        this.handoff = handoff;
        this.pool = pool;
        this.factory = pool.acquire(room);
        this.pausesAudio = factory.audioGuard().pauses();
        this.audioActive = !pausesAudio;
        this.events = events;
        this.timer = timer;
        this.timeoutMs = timeoutMs;
        this.inbound = new RemoteTrackSinks(videoSink, audioSink);
        try {
            this.videoSource = new CustomVideoSource(factory.syncClock());
            this.audioSource = new CustomAudioSource(factory.syncClock());
            this.videoTrack = factory.factory().createVideoTrack("mix-video-" + id, videoSource);
            this.audioTrack = factory.factory().createAudioTrack("mix-audio-" + id, audioSource);
            this.pc = factory.create(new Observer());
        } catch (RuntimeException | Error e) {
            pool.release(factory);
            throw e;
        }
        this.remoteCandidates = new RemoteCandidates(pc);
        this.localCandidates = new LocalCandidates(c -> {
            if (!closed.get()) {
                events.localCandidate(c);
            }
        });
        this.audioSending = new AudioSendingProbe(pc, () -> audioSender, timer);
        OPEN.incrementAndGet();
        // A client that joins and never connects (no offer, no ICE, a dead network) leaves.
        this.connectTimer = timer.schedule(() -> {
            if (!closed.get() && !connectedOnce.isDone()) {
                events.failed(LeaveReason.TIMEOUT);
            }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Peer connections created and not yet closed, across the process (a leak gauge for metrics and tests). */
    public static int openPeers() {
        return OPEN.get();
    }

    /**
     * Applies the client's offer and produces the answer; exceptionally with
     * {@link CodedException} ({@code bad-request}) if libwebrtc refuses the offer. The returned future completes
     * on the hand-off executor, never on a libwebrtc thread: a caller's continuation that calls into
     * another peer connection from libwebrtc's signaling thread could deadlock two factories.
     */
    public CompletableFuture<String> answer(SdpOffer offer, List<String> codecPreference,
                                            int maxBitrateKbps, int maxFps) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("peer closed"));
        }
        return offers.enqueue(() -> exchange(offer, codecPreference, maxBitrateKbps, maxFps, false));
    }

    /**
     * Sets the length of the outbound mix's Opus frames ({@link AudioFrames}), and the length the
     * answers ask of the client. A negotiated peer applies the client's last offer again with it and
     * keeps the answer to itself: nothing the client holds changes (transports, streams, codecs), and
     * a client that offers again gets an answer asking for the same frames. Completes when applied.
     */
    public CompletableFuture<?> audioFrameLength(int ms) {
        if (ms == audioFrameMs || closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        audioFrameMs = ms;
        if (negotiated == null) {
            return CompletableFuture.completedFuture(null); // the first answer carries it
        }
        // The offer is read when its turn comes: a client offer queued before it (an ICE restart) is
        // the one to apply again, not the one before.
        return factory.audioGuard().exchange(() -> offers.enqueue(() -> {
            Negotiated last = negotiated;
            return exchange(last.offer(), last.codecPreference(), videoMaxKbps, videoMaxFps, true);
        }));
    }

    /** The client's last offer and the codec order it was answered with. */
    private record Negotiated(SdpOffer offer, List<String> codecPreference) {
    }

    /**
     * @param silent true when the mixer applies the client's last offer again for itself: the answer
     *               is not sent, so the trickle of the mixer's candidates is not held for it
     */
    private CompletableFuture<String> exchange(SdpOffer offer, List<String> codecPreference, int maxBitrateKbps,
                                               int maxFps, boolean silent) {
        if (!silent) {
            localCandidates.hold();
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException("peer closed"));
            return result;
        }
        // A renegotiation could restart the audio stream, and with it the device's recording: the
        // stream stops first and is started again, paused, once the answer is applied.
        if (pausesAudio) {
            setAudioActive(false);
        }
        CompletableFuture<String> handedOff = result.whenCompleteAsync((answer, error) -> { }, handoff);
        RTCSessionDescription remote = new RTCSessionDescription(RTCSdpType.OFFER,
                AudioFrames.request(OpusDtx.request(InboundAudioUnsync.rewrite(offer.sdp())), audioFrameMs));
        pc.setRemoteDescription(remote, new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                try {
                    remoteCandidates.descriptionApplied();
                    attachOutbound(offer, codecPreference);
                    negotiated = new Negotiated(offer, codecPreference);
                    createAnswer(result, maxBitrateKbps, maxFps);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(String error) {
                // The offer passed the edge's checks but not libwebrtc's: still the offer's fault.
                result.completeExceptionally(new CodedException(ErrorCode.BAD_REQUEST, "libwebrtc: " + error));
            }
        });
        return handedOff;
    }

    /**
     * Adds a trickled candidate from the client; null candidate text means end of candidates.
     * Candidates that arrive before the offer has been applied wait for it (signaling may reorder).
     *
     * @throws InvalidSdpException if the candidate is not a plausible candidate line
     */
    public void addRemoteCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        if (closed.get() || candidate == null || candidate.isEmpty()) {
            return;
        }
        CandidateLine.validate(sdpMid, sdpMLineIndex, candidate);
        remoteCandidates.add(new RTCIceCandidate(sdpMid, sdpMLineIndex, candidate));
    }

    /**
     * The answer has been sent to the client: the candidates gathered since it was made follow it
     * now (see {@link LocalCandidates}).
     */
    public void answerDelivered() {
        localCandidates.release();
    }

    /** Sets the encoder ceiling for the outbound video; resolution stays what the composite is. */
    public void limitVideo(int maxBitrateKbps, int maxFps) {
        limitVideo(maxBitrateKbps, maxFps, 0);
    }

    /**
     * Sets the encoder's ceiling and, when {@code minBitrateKbps} is positive, its floor (0:
     * libwebrtc's own, 30 kbit/s); resolution stays what the composite is.
     */
    public void limitVideo(int maxBitrateKbps, int maxFps, int minBitrateKbps) {
        videoMaxKbps = maxBitrateKbps;
        videoMaxFps = maxFps;
        videoMinKbps = minBitrateKbps;
        updateEncodings(videoSender, "encoder limits", encoding -> {
            encoding.maxBitrate = maxBitrateKbps * 1000;
            encoding.minBitrate = minBitrateKbps > 0 ? minBitrateKbps * 1000 : null;
            encoding.maxFramerate = (double) maxFps;
            encoding.scaleResolutionDownBy = 1.0;
            encoding.active = true;
        });
    }

    /** Sets the Opus bitrate of the outbound mix; 0 restores libwebrtc's default (32 kbit/s mono). */
    public void limitAudio(int kbps) {
        synchronized (audioLock) {
            audioMaxBitrate = kbps > 0 ? kbps * 1000 : null;
            applyAudioEncodings();
        }
    }

    /** Starts or stops the outbound audio stream; see {@link #activateAudio()} for why only so. */
    private void setAudioActive(boolean active) {
        synchronized (audioLock) {
            audioActive = active;
            applyAudioEncodings();
        }
    }

    /** Called with audioLock held, off libwebrtc's threads. */
    private void applyAudioEncodings() {
        if (closed.get()) {
            return;
        }
        boolean active = audioActive;
        // libwebrtc holds Opus at 32 kbit/s whatever its estimate unless given a range; an audio-only
        // listener gets one, so its mix follows the estimate down a narrow link instead of
        // overflowing it. (A video viewer's audio is set by its tier: the picture shares its link.)
        boolean adaptive = videoSender == null;
        Integer max = audioMaxBitrate != null ? audioMaxBitrate : adaptive ? OPUS_DEFAULT_BPS : null;
        updateEncodings(audioSender, "audio encoding", encoding -> {
            encoding.active = active;
            encoding.maxBitrate = max;
            encoding.minBitrate = adaptive ? OPUS_FLOOR_BPS : null;
        });
    }

    /**
     * The peer is connected and its answer applied: starts its audio stream with the factory's
     * pushes paused ({@link AudioSendGuard#activate}), so the recording libwebrtc then starts races
     * nothing and is stopped at once. Runs on the hand-off executor, never on a libwebrtc thread.
     */
    private void activateAudio() {
        if (!pausesAudio || closed.get() || audioSender == null) {
            return;
        }
        factory.audioGuard().activate(() -> setAudioActive(true)).exceptionally(e -> {
            LOG.log(Level.WARNING, "peer " + id + ": outbound audio not started", e);
            return null;
        });
    }

    /** Changes every encoding of a sender's parameters; a refusal is logged, never thrown. */
    private void updateEncodings(RTCRtpSender sender, String what, Consumer<RTCRtpEncodingParameters> change) {
        if (sender == null || closed.get()) {
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
            LOG.log(Level.WARNING, "peer " + id + ": " + what + " not applied", e);
        }
    }

    /**
     * The sending side's statistics (bandwidth estimate, what the video encoder sends); completes
     * on a libwebrtc thread, with {@link SendStats#NONE} if the peer is closed or the report fails.
     */
    public CompletableFuture<SendStats> sendStats() {
        return report(SendStats::of, SendStats.NONE);
    }

    /**
     * The inbound jitter buffers' cumulative delays; completes on a libwebrtc thread, with
     * {@link ReceiveDelays#NONE} if the peer is closed or the report fails.
     */
    public CompletableFuture<ReceiveDelays> receiveDelays() {
        return report(ReceiveDelays::of, ReceiveDelays.NONE);
    }

    private <T> CompletableFuture<T> report(Function<RTCStatsReport, T> read, T none) {
        CompletableFuture<T> result = new CompletableFuture<>();
        // Held against close(): a report must not be asked of a connection being freed.
        synchronized (statsLock) {
            if (closed.get()) {
                result.complete(none);
                return result;
            }
            try {
                pc.getStats(report -> {
                    try {
                        result.complete(read.apply(report));
                    } catch (Throwable e) {
                        result.complete(none);
                    }
                });
            } catch (Throwable e) {
                result.complete(none);
            }
        }
        return result;
    }

    /** Whether the client's offer has a video m-line that receives the composite (false: audio only). */
    public boolean sendsVideo() {
        return videoSender != null && !closed.get();
    }

    public void pushVideo(VideoFrame frame) {
        if (!closed.get()) {
            videoSource.pushFrame(frame);
        }
    }

    public void pushAudio(byte[] pcm) {
        if (!closed.get()) {
            audioSource.pushAudio(pcm, 16, 48_000, 1, pcm.length / 2);
        }
    }

    /** Completes when the peer first connects (DTLS up); exceptionally if it closes before. */
    public CompletableFuture<Void> connectedOnce() {
        return connectedOnce;
    }

    /**
     * Completes once the peer is connected and its outbound audio stream has started (see
     * {@link AudioSendingProbe}); exceptionally if the peer closes first.
     */
    public CompletableFuture<Void> audioSending() {
        return audioSending.started();
    }

    public boolean connected() {
        return connected && !closed.get();
    }

    /** The video codec negotiated for the outbound stream, e.g. H264 or VP8; null before the answer. */
    public String videoCodec() {
        return videoCodec;
    }

    public RTCPeerConnection connection() {
        return pc;
    }

    /** Pauses pushes into this peer's audio while it negotiates; see {@link AudioSendGuard}. */
    public AudioSendGuard audioGuard() {
        return factory.audioGuard();
    }

    /** Whether this peer's outbound media is stamped on libwebrtc's clock (receivers can lip-sync it). */
    public boolean syncClockAligned() {
        return factory.syncClockAligned();
    }

    private void attachOutbound(SdpOffer offer, List<String> codecPreference) {
        boolean audioDone = false;
        boolean videoDone = false;
        for (RTCRtpTransceiver transceiver : pc.getTransceivers()) {
            MediaStreamTrack remote = transceiver.getReceiver().getTrack();
            String kind = remote == null ? "" : remote.getKind();
            RTCRtpSender sender = transceiver.getSender();
            if (!audioDone && MediaStreamTrack.AUDIO_TRACK_KIND.equals(kind)) {
                attach(transceiver, sender, audioTrack);
                audioSender = sender;
                audioDone = true;
            } else if (!videoDone && MediaStreamTrack.VIDEO_TRACK_KIND.equals(kind)) {
                attach(transceiver, sender, videoTrack);
                String chosen = offer.preferredVideoCodec(codecPreference);
                if (chosen != null) {
                    List<String> order = new ArrayList<>();
                    order.add(chosen);
                    order.addAll(codecPreference);
                    transceiver.setCodecPreferences(CodecPreference.order(
                            factory.factory().getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs(), order));
                }
                videoCodec = chosen;
                videoSender = sender;
                videoDone = true;
            }
        }
    }

    private void attach(RTCRtpTransceiver transceiver, RTCRtpSender sender, MediaStreamTrack track) {
        if (sender.getTrack() == null) {
            sender.replaceTrack(track);
            sender.setStreams(List.of(STREAM_ID));
        }
        transceiver.setDirection(RTCRtpTransceiverDirection.SEND_RECV);
    }

    private void createAnswer(CompletableFuture<String> result, int maxBitrateKbps, int maxFps) {
        pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription created) {
                try {
                    RTCSessionDescription answer = new RTCSessionDescription(created.sdpType,
                            AudioFrames.request(OpusDtx.request(created.sdp), audioFrameMs));
                    pc.setLocalDescription(answer, new SetSessionDescriptionObserver() {
                        @Override
                        public void onSuccess() {
                            try {
                                limitVideo(maxBitrateKbps, maxFps, videoMinKbps);
                                // Off the signaling thread (see audioLock), before the answer is
                                // handed back and the factory's pause ends.
                                handoff.execute(() -> finishExchange(result, answer.sdp));
                            } catch (Throwable e) {
                                result.completeExceptionally(e);
                            }
                        }

                        @Override
                        public void onFailure(String error) {
                            result.completeExceptionally(new IllegalStateException("answer refused: " + error));
                        }
                    });
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IllegalStateException("answer failed: " + error));
            }
        });
    }

    /**
     * The answer is applied: the audio encoding exists now (before, the sender has none to change)
     * and takes its limits; where the device may record it is made inactive, so that libwebrtc cannot start the stream when the transport comes up; a
     * connected peer (a renegotiation) has it started again at once.
     */
    private void finishExchange(CompletableFuture<String> result, String answer) {
        try {
            if (pausesAudio) {
                setAudioActive(false);
                if (connectedOnce.isDone() && !connectedOnce.isCompletedExceptionally()) {
                    activateAudio();
                }
            } else {
                synchronized (audioLock) {
                    applyAudioEncodings(); // an audio-only listener's bitrate range, a tier's ceiling
                }
            }
            result.complete(answer);
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    /** Releases every native object of this peer exactly once; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OPEN.decrementAndGet();
        connected = false;
        // A negotiation waiting for this peer to connect ends now, and with it the factory's pause.
        connectedOnce.completeExceptionally(new IllegalStateException("peer " + id + " closed"));
        audioSending.cancel("peer " + id + " closed");
        connectTimer.cancel(false);
        synchronized (this) {
            if (disconnectTimer != null) {
                disconnectTimer.cancel(false);
            }
        }
        inbound.detachAll();
        videoSender = null;
        audioSender = null;
        synchronized (statsLock) {
            factory.close(pc);
        }
        NativeRelease.dispose(videoTrack);
        NativeRelease.dispose(audioTrack);
        videoSource.dispose();
        audioSource.dispose();
        pool.release(factory);
    }

    private final class Observer implements PeerConnectionObserver {

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            try {
                if (!closed.get()) {
                    localCandidates.gathered(candidate);
                }
            } catch (Throwable e) {
                LOG.log(Level.ERROR, "peer " + id + ": candidate handler failed", e);
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            try {
                inbound.attach(transceiver.getReceiver().getTrack());
            } catch (Throwable e) {
                LOG.log(Level.ERROR, "peer " + id + ": track setup failed", e);
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            try {
                onState(state);
            } catch (Throwable e) {
                LOG.log(Level.ERROR, "peer " + id + ": state handler failed", e);
            }
        }
    }

    private void onState(RTCPeerConnectionState state) {
        if (closed.get()) {
            return;
        }
        switch (state) {
            case CONNECTED -> {
                synchronized (this) {
                    if (disconnectTimer != null) {
                        disconnectTimer.cancel(false);
                        disconnectTimer = null;
                    }
                }
                connected = true;
                if (connectedOnce.complete(null)) {
                    activateAudio();
                    audioSending.start();
                }
                events.connected();
            }
            case DISCONNECTED -> {
                connected = false;
                synchronized (this) {
                    if (disconnectTimer == null) {
                        disconnectTimer = timer.schedule(() -> {
                            if (!closed.get() && !connected) {
                                events.failed(LeaveReason.TIMEOUT);
                            }
                        }, timeoutMs, TimeUnit.MILLISECONDS);
                    }
                }
            }
            case FAILED -> {
                connected = false;
                events.failed(LeaveReason.DISCONNECTED);
            }
            default -> {
            }
        }
    }
}
