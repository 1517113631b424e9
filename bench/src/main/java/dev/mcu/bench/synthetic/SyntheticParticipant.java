package dev.mcu.bench.synthetic;

import dev.mcu.bench.analysis.ReceivedAudio;
import dev.mcu.bench.analysis.ReceivedVideo;
import dev.mcu.events.signal.IceServer;
import dev.mcu.mixer.audio.SilenceDebt;
import dev.mcu.mixer.clock.MediaClock;
import dev.mcu.mixer.peer.NativeRelease;
import dev.mcu.mixer.peer.AudioFrames;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.peer.RemoteCandidates;
import dev.mcu.mixer.peer.RemoteTrackSinks;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A webrtc-java client that joins a mixer room like a browser would (it offers, the mixer
 * answers), sends a known picture and a known tone, and records what it receives for analysis.
 */
public final class SyntheticParticipant implements AutoCloseable {

    /** How the participant reaches the mixer: over Kafka/WebSocket later, by direct calls in tests. */
    public interface Signaling {
        CompletableFuture<String> offer(String sdp);

        void candidate(String sdpMid, int sdpMLineIndex, String candidate);
    }

    /**
     * @param toneAmplitude peak amplitude of the tone, 0..32767 (0 sends silence)
     * @param cameraLike    camera-like moving texture with noise instead of a flat colour
     * @param noise         amplitude of the camera-like content's per-frame noise (0 = clean texture)
     * @param codecs        video codecs to offer, in order; empty offers everything libwebrtc has
     * @param video         false offers audio only: no video m-line, so no camera sent and no composite received
     */
    private static RTCIceServer rtc(IceServer server) {
        RTCIceServer s = new RTCIceServer();
        s.urls = server.urls();
        s.username = server.username();
        s.password = server.credential();
        return s;
    }

    public record Options(int index, int width, int height, int fps, int toneAmplitude, boolean cameraLike,
                          int maxBitrateKbps, List<String> codecs, int noise, boolean video) {
        public Options(int index, int width, int height, int fps, int toneAmplitude, boolean cameraLike,
                       int maxBitrateKbps, List<String> codecs) {
            this(index, width, height, fps, toneAmplitude, cameraLike, maxBitrateKbps, codecs, 9);
        }

        public Options(int index, int width, int height, int fps, int toneAmplitude, boolean cameraLike,
                       int maxBitrateKbps, List<String> codecs, int noise) {
            this(index, width, height, fps, toneAmplitude, cameraLike, maxBitrateKbps, codecs, noise, true);
        }

        /** The same participant offering audio only (a phone-in, a client without a camera). */
        public Options audioOnly() {
            return new Options(index, width, height, fps, toneAmplitude, cameraLike, maxBitrateKbps, codecs, noise, false);
        }

        public static Options flat(int index) {
            return new Options(index, 640, 360, 30, 8000, false, 1000, List.of());
        }

        /**
         * 640x360 camera-like content sent at up to 800 kbit/s: what a composite of real cameras
         * costs the mixer's encoder, where flat tiles would fit any link (constrained-link runs).
         */
        public static Options camera(int index) {
            return new Options(index, 640, 360, 30, 8000, true, 800, List.of());
        }
    }

    private static final Executor HANDOFF = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("synthetic-signaling-", 0).factory());

    private final Options options;
    private final PeerFactory factory;
    private final CustomVideoSource videoSource;
    private final CustomAudioSource audioSource;
    private final VideoTrack videoTrack;
    private final AudioTrack audioTrack;
    private final RTCPeerConnection pc;
    private final SyntheticContent content;
    private final ReceivedVideo receivedVideo;
    private final ReceivedAudio receivedAudio = new ReceivedAudio();
    private final MediaClock videoClock;
    private final MediaClock audioClock;
    private static final byte[] SILENCE = new byte[960];
    private final byte[] toneChunk = new byte[960];
    /** A browser's microphone never pauses: ticks this client could not push are made up in silence. */
    private final SilenceDebt toneDebt = new SilenceDebt();
    private final RemoteTrackSinks inbound;
    private final RemoteCandidates remoteCandidates;
    private final CompletableFuture<Void> offerSent = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> connectedFuture = new CompletableFuture<>();
    private volatile boolean connected;
    private volatile int toneAmplitude;
    private volatile int beepPeriodMs;
    private volatile boolean codeFrameIndex;
    private volatile RTCRtpSender videoSender;
    private volatile RTCRtpSender audioSender;
    private volatile String negotiatedVideoCodec;
    private double tonePhase;
    private Signaling signaling;

    public SyntheticParticipant(PeerFactory factory, Options options) {
        this(factory, options, null);
    }

    /**
     * @param relayThrough TURN servers (as {@code joined} gives them) to reach the mixer through,
     *                     relayed candidates only; null for direct (host) candidates
     */
    public SyntheticParticipant(PeerFactory factory, Options options, List<IceServer> relayThrough) {
        this.options = options;
        this.factory = factory;
        this.toneAmplitude = options.toneAmplitude();
        this.content = contentOf(options);
        this.receivedVideo = new ReceivedVideo(options.cameraLike() ? TimeUnit.SECONDS.toNanos(1) : 0);
        this.inbound = new RemoteTrackSinks(receivedVideo, receivedAudio);
        this.videoSource = new CustomVideoSource(factory.syncClock());
        this.audioSource = new CustomAudioSource(factory.syncClock());
        this.videoTrack = factory.factory().createVideoTrack("synthetic-video-" + options.index(), videoSource);
        this.audioTrack = factory.factory().createAudioTrack("synthetic-audio-" + options.index(), audioSource);
        this.pc = relayThrough == null ? factory.create(new Observer())
                : factory.createRelayed(new Observer(), relayThrough.stream().map(SyntheticParticipant::rtc).toList());
        this.remoteCandidates = new RemoteCandidates(pc);
        this.videoClock = new MediaClock("synthetic-video-" + options.index(), 1_000_000_000L / options.fps(),
                (n, deadline) -> sendFrame(n));
        this.audioClock = new MediaClock("synthetic-audio-" + options.index(), 10_000_000L,
                this::sendTone, 5); // a microphone delivers every 10 ms, late or not
    }

    public Palette.Colour colour() {
        return Palette.colour(options.index());
    }

    public int tone() {
        return Palette.tone(options.index());
    }

    /** Offers, applies the mixer's answer and starts sending once ICE connects. */
    public CompletableFuture<Void> connect(Signaling signaling) {
        this.signaling = signaling;
        videoSender = options.video() ? pc.addTrack(videoTrack, List.of("synthetic")) : null;
        // One stream, as a browser sends its camera and microphone: receivers lip-sync the two.
        audioSender = pc.addTrack(audioTrack, List.of("synthetic"));
        if (videoSender != null) {
            limitSender(videoSender);
        }
        if (!options.codecs().isEmpty()) {
            // By kind: getTrack() returns a new Java wrapper each call, so identity never matches.
            for (RTCRtpTransceiver t : pc.getTransceivers()) {
                MediaStreamTrack track = t.getSender().getTrack();
                if (track != null && MediaStreamTrack.VIDEO_TRACK_KIND.equals(track.getKind())) {
                    t.setCodecPreferences(preferredCodecs());
                }
            }
        }
        CompletableFuture<String> offer = localOffer();
        // Continue off libwebrtc's threads: calling into the mixer's peer from the client's signaling
        // thread (or the reverse) can deadlock the two factories.
        // The client factory has the same audio-capture hazard as the mixer's (see AudioSendGuard).
        // Candidates wait for the offer to be sent: a candidate before its offer is out of order.
        return factory.audioGuard().negotiate(() -> offer.thenComposeAsync(sdp -> {
                            CompletableFuture<String> answer = signaling.offer(sdp);
                            offerSent.complete(null);
                            return answer;
                        }, HANDOFF)
                        .thenComposeAsync(this::applyAnswer, HANDOFF), () -> connectedFuture)
                .thenCompose(v -> connectedFuture);
    }

    /**
     * Offers again on the same connection: the mixer's answer carries the frame length it asks of
     * this client's audio ({@code a=ptime}) on its tier. Completes when the answer is applied.
     */
    public CompletableFuture<Void> renegotiate() {
        Signaling s = signaling;
        if (s == null || closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return factory.audioGuard().exchange(() -> localOffer().thenComposeAsync(s::offer, HANDOFF)
                .thenComposeAsync(this::applyAnswer, HANDOFF));
    }

    /**
     * Sets the length of this client's Opus frames without a word to the mixer, as the browser
     * client does on entering or leaving the smallest tier: it offers again locally and applies the
     * mixer's last answer again with {@code a=ptime} (libwebrtc's encoder takes its frame length from
     * the remote description). Nothing else changes, and nothing crosses the link: where 20 ms
     * packets overflow it, an offer and its answer over TCP could take many seconds to get through.
     */
    public CompletableFuture<Void> audioFrameLength(int ms) {
        RTCSessionDescription answer = pc.getRemoteDescription();
        if (answer == null || closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        String sdp = AudioFrames.request(answer.sdp, ms);
        return factory.audioGuard().exchange(() -> localOffer().thenComposeAsync(offer -> applyAnswer(sdp), HANDOFF));
    }

    /** Creates an offer and sets it as the local description; completes with its SDP. */
    private CompletableFuture<String> localOffer() {
        CompletableFuture<String> offer = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        offer.complete(description.sdp);
                    }

                    @Override
                    public void onFailure(String error) {
                        offer.completeExceptionally(new IllegalStateException(error));
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException(error));
            }
        });
        return offer;
    }

    /** The frame length the mixer's last answer asks of this client's audio ({@code a=ptime}), or "-". */
    public String remoteAudioPtime() {
        RTCSessionDescription remote = pc.getRemoteDescription();
        if (remote == null) {
            return "-";
        }
        return remote.sdp.lines().filter(l -> l.startsWith("a=ptime:")).findFirst().orElse("-");
    }

    /** The video codec the answer chose (its first video payload type), e.g. VP8; null before the answer. */
    public String negotiatedVideoCodec() {
        return negotiatedVideoCodec;
    }

    static String firstVideoCodec(String sdp) {
        String payload = null;
        for (String line : sdp.split("\r?\n")) {
            if (payload == null && line.startsWith("m=video ")) {
                String[] parts = line.split(" ");
                payload = parts.length > 3 ? parts[3] : null;
            } else if (payload != null && line.startsWith("a=rtpmap:" + payload + " ")) {
                return line.substring(line.indexOf(' ') + 1, line.indexOf('/')).toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    private CompletableFuture<Void> applyAnswer(String sdp) {
        negotiatedVideoCodec = firstVideoCodec(sdp);
        CompletableFuture<Void> applied = new CompletableFuture<>();
        pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                remoteCandidates.descriptionApplied();
                applied.complete(null);
            }

            @Override
            public void onFailure(String error) {
                applied.completeExceptionally(new IllegalStateException("answer refused: " + error));
            }
        });
        return applied;
    }

    /** Adds one of the mixer's candidates; those that arrive before the answer wait for it. */
    public void addRemoteCandidate(RTCIceCandidate candidate) {
        if (!closed.get()) {
            remoteCandidates.add(candidate);
        }
    }

    public ReceivedVideo video() {
        return receivedVideo;
    }

    /** The pictures a participant with these options sends (the same for every participant given them). */
    public static SyntheticContent contentOf(Options options) {
        Palette.Colour colour = Palette.colour(options.index());
        return options.cameraLike()
                ? SyntheticContent.cameraLike(colour, options.width(), options.height(), options.index(), options.noise())
                : SyntheticContent.flat(colour, options.width(), options.height());
    }

    /** The frame rate each participant receives, measured over the next {@code seconds} (blocks that long). */
    public static double[] receivedFps(List<SyntheticParticipant> ps, int seconds) throws InterruptedException {
        long[] before = ps.stream().mapToLong(p -> p.video().frames()).toArray();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        double wall = (System.nanoTime() - t0) / 1e9;
        double[] out = new double[ps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (ps.get(i).video().frames() - before[i]) / wall;
        }
        return out;
    }

    public ReceivedAudio audio() {
        return receivedAudio;
    }

    /** Draws the frame's index in the content cycle instead of the send time (for quality measurement). */
    public void codeFrameIndex(boolean enabled) {
        this.codeFrameIndex = enabled;
    }

    public SyntheticContent content() {
        return content;
    }

    public void toneAmplitude(int amplitude) {
        this.toneAmplitude = amplitude;
    }

    /**
     * Sends the tone only in the first half of every period of the wall clock (on from each multiple
     * of {@code periodMs}), the clock the visual code carries: a receiver reads the audio latency
     * from the onsets and the video latency from the code, hence the lip-sync offset. 0 = steady.
     */
    public void beep(int periodMs) {
        this.beepPeriodMs = periodMs;
    }

    public RTCPeerConnection connection() {
        return pc;
    }

    /** Audio packets received so far, from libwebrtc's inbound-rtp statistics. */
    public long audioPacketsReceived() throws Exception {
        return rtpCounter("audio", RTCStatsType.INBOUND_RTP, "packetsReceived");
    }

    /** Audio packets this client has sent so far (its outbound stream's statistics). */
    public long audioPacketsSent() throws Exception {
        return rtpCounter("audio", RTCStatsType.OUTBOUND_RTP, "packetsSent");
    }

    /** Payload bytes of the composite received so far (inbound-rtp, headers and padding not counted). */
    public long videoBytesReceived() throws Exception {
        return rtpCounter("video", RTCStatsType.INBOUND_RTP, "bytesReceived");
    }

    private long rtpCounter(String kind, RTCStatsType type, String counter) throws Exception {
        CompletableFuture<Long> packets = new CompletableFuture<>();
        pc.getStats(report -> {
            long n = 0;
            for (RTCStats s : report.getStats().values()) {
                if (s.getType() == type && kind.equals(s.getAttributes().get("kind"))
                        && s.getAttributes().get(counter) instanceof Number count) {
                    n += count.longValue();
                }
            }
            packets.complete(n);
        });
        return packets.get(5, TimeUnit.SECONDS);
    }

    private List<RTCRtpCodecCapability> preferredCodecs() {
        List<RTCRtpCodecCapability> all = factory.factory().getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs();
        List<RTCRtpCodecCapability> ordered = new ArrayList<>();
        for (String name : options.codecs()) {
            for (RTCRtpCodecCapability c : all) {
                if (c.getName().equalsIgnoreCase(name)) {
                    ordered.add(c);
                }
            }
        }
        for (RTCRtpCodecCapability c : all) {
            String n = c.getName().toUpperCase(Locale.ROOT);
            if (n.equals("RTX") || n.equals("RED") || n.equals("ULPFEC")) {
                ordered.add(c);
            }
        }
        return ordered;
    }

    /**
     * What the client sends, as the browser client sets it for its bandwidth tier: video at most
     * {@code videoKbps} (0 pauses it) at {@code 1/scaleDown} of the camera's size, Opus at most
     * {@code audioKbps} (0: the codec's default). Refusals are ignored: the call goes on as it was.
     */
    public synchronized void limitUpload(int videoKbps, double scaleDown, int audioKbps) {
        RTCRtpSender video = videoSender;
        RTCRtpSender audio = audioSender;
        if (closed.get()) {
            return; // the senders are native objects of a closed connection
        }
        try {
            if (video != null) {
                RTCRtpSendParameters parameters = video.getParameters();
                if (parameters.encodings != null) {
                    for (RTCRtpEncodingParameters e : parameters.encodings) {
                        e.active = videoKbps > 0;
                        e.maxBitrate = (videoKbps > 0 ? Math.min(videoKbps, options.maxBitrateKbps())
                                : options.maxBitrateKbps()) * 1000;
                        e.scaleResolutionDownBy = Math.max(1.0, scaleDown);
                    }
                    video.setParameters(parameters);
                }
            }
            if (audio != null) {
                RTCRtpSendParameters parameters = audio.getParameters();
                if (parameters.encodings != null) {
                    for (RTCRtpEncodingParameters e : parameters.encodings) {
                        e.maxBitrate = audioKbps > 0 ? audioKbps * 1000 : null;
                    }
                    audio.setParameters(parameters);
                }
            }
        } catch (RuntimeException e) {
            // a closed connection or a refused parameter: nothing to adapt
        }
    }

    private void limitSender(RTCRtpSender sender) {
        RTCRtpSendParameters parameters = sender.getParameters();
        if (parameters.encodings == null || parameters.encodings.isEmpty()) {
            return;
        }
        for (RTCRtpEncodingParameters e : parameters.encodings) {
            e.maxBitrate = options.maxBitrateKbps() * 1000;
            e.maxFramerate = (double) options.fps();
        }
        sender.setParameters(parameters);
    }

    private void sendFrame(long n) {
        if (!connected || closed.get()) {
            return;
        }
        int w = content.width;
        int h = content.height;
        NativeI420Buffer buffer = NativeI420Buffer.allocate(w, h);
        VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
        try {
            content.fill(buffer, n);
            VisualCode.write(buffer.getDataY(), buffer.getStrideY(), w, h,
                    VisualCode.mask(codeFrameIndex ? n : System.currentTimeMillis()));
            videoSource.pushFrame(frame);
        } finally {
            frame.release();
        }
    }

    /** One 10 ms chunk of the tone (or of the beep's silence), after any silence owed for missed ticks. */
    private void sendTone(long tickIndex, long deadlineNanos) {
        if (!connected || closed.get()) {
            return;
        }
        double step = 2 * Math.PI * tone() / 48_000.0;
        int amplitude = toneAmplitude;
        int period = beepPeriodMs;
        if (period > 0 && System.currentTimeMillis() % period >= period / 2) {
            amplitude = 0;
        }
        for (int i = 0; i < 480; i++) {
            int s = (int) Math.round(amplitude * Math.sin(tonePhase));
            toneChunk[2 * i] = (byte) s;
            toneChunk[2 * i + 1] = (byte) (s >> 8);
            tonePhase += step;
        }
        tonePhase %= 2 * Math.PI;
        if (factory.audioGuard().open()) {
            for (int k = toneDebt.beforePush(tickIndex); k > 0; k--) {
                audioSource.pushAudio(SILENCE, 16, 48_000, 1, 480);
            }
            audioSource.pushAudio(toneChunk, 16, 48_000, 1, 480);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connected = false;
        factory.audioGuard().unregister(audioClock);
        videoClock.stop();
        audioClock.stop();
        inbound.detachAll();
        synchronized (this) { // not while limitUpload uses the senders
            videoSender = null;
            audioSender = null;
        }
        factory.close(pc);
        NativeRelease.dispose(videoTrack);
        NativeRelease.dispose(audioTrack);
        videoSource.dispose();
        audioSource.dispose();
        connectedFuture.completeExceptionally(new IllegalStateException("closed"));
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            try {
                Signaling s = signaling;
                if (s != null && !closed.get()) {
                    offerSent.thenRunAsync(() -> s.candidate(candidate.sdpMid, candidate.sdpMLineIndex,
                            candidate.sdp), HANDOFF);
                }
            } catch (Throwable ignored) {
                // A callback from native code must not throw.
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            try {
                if (!closed.get()) {
                    inbound.attach(transceiver.getReceiver().getTrack());
                }
            } catch (Throwable ignored) {
                // A callback from native code must not throw.
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            try {
                if (state == RTCPeerConnectionState.CONNECTED && !closed.get()) {
                    connected = true;
                    if (options.video()) {
                        videoClock.start();
                    }
                    factory.audioGuard().register(audioClock);
                    audioClock.start();
                    connectedFuture.complete(null);
                } else if (state == RTCPeerConnectionState.FAILED) {
                    connected = false;
                    connectedFuture.completeExceptionally(new IllegalStateException("ICE failed"));
                }
            } catch (Throwable ignored) {
                // A callback from native code must not throw.
            }
        }
    }
}
