package dev.mcu.mixer.room;

import dev.mcu.mixer.audio.AudioFeed;
import dev.mcu.mixer.bandwidth.Ladder;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.bandwidth.TierPolicy;
import dev.mcu.mixer.audio.JitterQueue;
import dev.mcu.mixer.audio.PcmConverter;
import dev.mcu.mixer.peer.MixerPeer;
import dev.mcu.mixer.peer.SendStats;
import dev.mcu.mixer.video.FrameSlot;
import dev.mcu.mixer.video.VideoFeed;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.lang.System.Logger.Level;

/**
 * One participant of a room: its identity and state (written under the room's lock, read by the
 * clocks through volatile fields), its inbound hand-over points and its peer connection.
 */
public final class Participant implements VideoFeed, AudioFeed {

    private static final System.Logger LOG = System.getLogger(Participant.class.getName());

    private final String id;
    private final long joinedAtMs;
    private final FrameSlot frames = new FrameSlot();
    private final JitterQueue audioQueue;
    private final PcmConverter converter;
    private volatile String name;
    private volatile boolean audioMuted;
    private volatile boolean videoMuted;
    /** What the viewer asked for, within the room's limits: the cap of every tier. */
    private volatile ViewSpec requested;
    /** What it receives: {@code requested} on the current tier. */
    private volatile ViewSpec view;
    private volatile Tier tier = Tier.FULL;
    private final TierPolicy tiers;
    private final TierPolicy listenerTiers = new TierPolicy(Ladder.AUDIO_ONLY);
    private volatile SendStats sendStats = SendStats.NONE;
    private MixerPeer peer;
    /** A participant that is a media source of the mixer's own (an ingest): stopped when it leaves. */
    private volatile AutoCloseable source;
    final VideoTrackSink videoSink = this::onFrame;
    final AudioTrackSink audioSink = this::onAudio;

    Participant(String id, String name, ViewSpec view, int jitterChunks) {
        this.id = id;
        this.name = name;
        this.requested = view;
        this.view = view;
        this.joinedAtMs = System.currentTimeMillis();
        this.tiers = new TierPolicy();
        this.audioQueue = new JitterQueue(jitterChunks);
        this.converter = new PcmConverter(audioQueue);
    }

    void attach(MixerPeer peer) {
        this.peer = peer;
    }

    MixerPeer peer() {
        return peer;
    }

    /** Whether this participant is a client with a peer connection (not an ingest). */
    boolean isClient() {
        return peer != null;
    }

    void source(AutoCloseable s) {
        this.source = s;
    }

    /** Receives decoded camera frames on a libwebrtc decoder thread: hand over, never throw. */
    private void onFrame(VideoFrame frame) {
        try {
            frames.offer(frame);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "participant " + id + ": frame hand-over failed", e);
        }
    }

    /** Receives decoded microphone audio on the playout thread: convert into the queue, never throw. */
    private void onAudio(byte[] data, int bits, int rate, int channels, int count) {
        try {
            converter.accept(data, bits, rate, channels, count);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "participant " + id + ": audio hand-over failed", e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean videoMuted() {
        return videoMuted;
    }

    @Override
    public boolean audioMuted() {
        return audioMuted;
    }

    @Override
    public FrameSlot frames() {
        return frames;
    }

    @Override
    public JitterQueue audioQueue() {
        return audioQueue;
    }

    @Override
    public ViewSpec view() {
        return view;
    }

    /** A client whose offer has a video m-line that receives the composite, connected or not yet. */
    boolean takesVideo() {
        MixerPeer p = peer;
        return p != null && p.sendsVideo();
    }

    /** Connected with a video m-line: an audio-only viewer costs the video clock nothing. */
    @Override
    public boolean receivingVideo() {
        MixerPeer p = peer;
        return p != null && p.connected() && p.sendsVideo();
    }

    /** Connected without a video m-line: it hears the mix and receives no picture. */
    boolean listensOnly() {
        MixerPeer p = peer;
        return p != null && p.connected() && !p.sendsVideo();
    }

    /** Connected, and not negotiating (pushes then race libwebrtc's device capture, see AudioSendGuard). */
    @Override
    public boolean receivingAudio() {
        MixerPeer p = peer;
        return p != null && p.connected() && p.audioGuard().open();
    }

    /** Connected while its factory starts a stream (AudioSendGuard): the mix is held, not lost. */
    @Override
    public boolean audioPaused() {
        MixerPeer p = peer;
        return p != null && p.connected() && !p.audioGuard().open();
    }

    @Override
    public void sendVideo(VideoFrame composite) {
        peer.pushVideo(composite);
    }

    @Override
    public void sendAudio(byte[] pcm) {
        peer.pushAudio(pcm);
    }

    void name(String name) {
        this.name = name;
    }

    void mute(Boolean audio, Boolean video) {
        if (audio != null) {
            audioMuted = audio;
        }
        if (video != null) {
            videoMuted = video;
        }
    }

    /** A new request from the viewer; returns its effective view on the current tier. */
    ViewSpec request(ViewSpec requested) {
        this.requested = requested;
        this.view = tier.apply(requested);
        return view;
    }

    /**
     * The video encoder's ceiling now: the view's, or during a trial out of the smallest tier what
     * the next tier would send, never above what the viewer asked for.
     */
    int videoCeilingKbps() {
        return tiers().trying() ? Math.min(requested.bitrateKbps(), tier.trialVideoKbps()) : view.bitrateKbps();
    }

    /** Moves the viewer to a tier; returns its effective view there. */
    ViewSpec tier(Tier next) {
        this.tier = next;
        this.view = next.apply(requested);
        return view;
    }

    /** The last statistics of this viewer's sending side (its bandwidth estimate among them). */
    public SendStats sendStats() {
        return sendStats;
    }

    void sendStats(SendStats stats) {
        this.sendStats = stats;
    }

    ViewSpec requested() {
        return requested;
    }

    Tier tier() {
        return tier;
    }

    /** Chooses this participant's tier on its ladder; fed by the room's bandwidth sampling only. */
    TierPolicy tiers() {
        return ladder() == Ladder.AUDIO_ONLY ? listenerTiers : tiers;
    }

    /** The tiers this participant moves through: an audio-only listener's two, or a viewer's. */
    Ladder ladder() {
        return listensOnly() ? Ladder.AUDIO_ONLY : Ladder.VIDEO;
    }

    public ParticipantInfo info() {
        return new ParticipantInfo(id, name, audioMuted, videoMuted, joinedAtMs);
    }

    /** Releases the peer and the pending frame; called once the clocks no longer see this participant. */
    void close() {
        MixerPeer p = peer;
        if (p != null) {
            p.close();
        }
        AutoCloseable s = source;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "participant " + id + ": stopping its source failed", e);
            }
        }
        frames.close();
    }
}
