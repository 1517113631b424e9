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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final String id;
    private final PeerFactoryPool pool;
    private final PeerFactory factory;
    private final Executor handoff;
    private final CustomVideoSource videoSource;
    private final CustomAudioSource audioSource;
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final RTCPeerConnection pc;
    private final RemoteTrackSinks inbound;
    private final RemoteCandidates remoteCandidates;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object statsLock = new Object();
    private volatile String videoCodec;
    /** See {@link #audioFrameLength}. */
    private volatile int audioFrameMs = AudioFrames.DEFAULT_MS;
    private volatile Negotiated negotiated;
    private final ConnectionWatch watch;
    private final OfferQueue offers = new OfferQueue();
    private final MixSenders senders;
    private final LocalCandidates localCandidates;
    private final AudioSendingProbe audioSending;
    /**
     * Whether the factory's device may record (see {@link AudioSendGuard}): then the audio encoding
     * is kept inactive through negotiations and started under a pause; otherwise it is always active.
     */
    private final boolean pausesAudio;

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
        this.senders = new MixSenders(id, closed::get, !pausesAudio);
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
        this.audioSending = new AudioSendingProbe(pc, senders::audio, timer);
        OPEN.incrementAndGet();
        this.watch = new ConnectionWatch(events, timer, timeoutMs, connectTimeoutMs, closed::get, () -> {
            activateAudio();
            audioSending.start();
        });
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
            return exchange(last.offer(), last.codecPreference(), senders.videoMaxKbps(), senders.videoMaxFps(),
                    true);
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
            senders.audioActive(false);
        }
        CompletableFuture<String> handedOff = result.whenCompleteAsync((answer, error) -> { }, handoff);
        RTCSessionDescription remote = new RTCSessionDescription(RTCSdpType.OFFER,
                AudioFrames.request(OpusDtx.request(VideoStartBitrate.request(InboundAudioUnsync.rewrite(offer.sdp()))),
                        audioFrameMs));
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
        senders.limitVideo(maxBitrateKbps, maxFps, minBitrateKbps);
    }

    /**
     * Sets the Opus bitrate of the outbound mix; 0 restores libwebrtc's default (32 kbit/s mono, or
     * for an audio-only listener a range up to it that follows the bandwidth estimate).
     */
    public void limitAudio(int kbps) {
        senders.limitAudio(kbps);
    }

    /**
     * The peer is connected and its answer applied: starts its audio stream with the factory's
     * pushes paused ({@link AudioSendGuard#activate}), so the recording libwebrtc then starts races
     * nothing and is stopped at once. Runs on the hand-off executor, never on a libwebrtc thread.
     */
    private void activateAudio() {
        if (!pausesAudio || closed.get() || senders.audio() == null) {
            return;
        }
        factory.audioGuard().activate(() -> senders.audioActive(true)).exceptionally(e -> {
            LOG.log(Level.WARNING, "peer " + id + ": outbound audio not started", e);
            return null;
        });
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
        return senders.hasVideo() && !closed.get();
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
        return watch.connectedOnce();
    }

    /**
     * Completes once the peer is connected and its outbound audio stream has started (see
     * {@link AudioSendingProbe}); exceptionally if the peer closes first.
     */
    public CompletableFuture<Void> audioSending() {
        return audioSending.started();
    }

    public boolean connected() {
        return watch.connected() && !closed.get();
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
                senders.attachedAudio(sender);
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
                senders.attachedVideo(sender);
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
                                limitVideo(maxBitrateKbps, maxFps, senders.videoMinKbps());
                                // Off the signaling thread (see MixSenders), before the answer is
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
                senders.audioActive(false);
                if (watch.hasConnected()) {
                    activateAudio();
                }
            } else {
                senders.reapplyAudio(); // an audio-only listener's bitrate range, a tier's ceiling
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
        // A negotiation waiting for this peer to connect ends now, and with it the factory's pause.
        watch.close("peer " + id + " closed");
        audioSending.cancel("peer " + id + " closed");
        inbound.detachAll();
        senders.detach();
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
                watch.state(state);
            } catch (Throwable e) {
                LOG.log(Level.ERROR, "peer " + id + ": state handler failed", e);
            }
        }
    }
}
