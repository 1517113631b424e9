package dev.mcu.mixer.room;

import dev.mcu.events.concurrent.SerialExecutor;
import dev.mcu.events.sdp.SdpOffer;
import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.signal.LeaveReason;
import dev.mcu.events.state.VideoSettings;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.audio.AudioMixer;
import dev.mcu.mixer.audio.AudioRoster;
import dev.mcu.mixer.audio.SpeakerDetector;
import dev.mcu.mixer.bandwidth.Tier;
import dev.mcu.mixer.clock.MediaClock;
import dev.mcu.mixer.peer.CodecChoice;
import dev.mcu.mixer.peer.MixerPeer;
import dev.mcu.mixer.peer.PeerFactoryPool;
import dev.mcu.mixer.video.VideoMixer;
import dev.mcu.mixer.video.VideoRoster;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A room on this worker: its members and its two clocks. Membership changes are made under this
 * room's own lock and published as immutable snapshots; the clocks read the snapshots without
 * locking. A participant is released only after both clocks have passed a tick boundary without
 * it, so no clock can touch its native objects afterwards.
 */
public final class Room {

    private static final System.Logger LOG = System.getLogger(Room.class.getName());
    private static final long QUIESCE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** After a stall (GC, a busy host) the audio clock mixes up to 50 ms of overdue ticks at once. */
    private static final int AUDIO_CATCH_UP_TICKS = 5;

    private final String id;
    private final MixerConfig config;
    private final PeerFactoryPool factories;
    private final ScheduledExecutorService timer;
    private final RoomListener listener;
    private final SerialExecutor events;
    private final Executor pool;
    private final MediaClock videoClock;
    private final MediaClock audioClock;
    private final VideoMixer videoMixer;
    private final AudioMixer audioMixer;
    private final Object lock = new Object();
    /** Written under {@code lock} only; volatile so that readers outside it see a whole snapshot. */
    private volatile List<Participant> members = List.of();
    /** Written under {@code lock} only: the room's recordings and live streams. */
    private volatile List<RoomTap> taps = List.of();
    private long version;
    private volatile VideoRoster videoRoster = new VideoRoster(0, List.of());
    private volatile AudioRoster audioRoster = new AudioRoster(0, List.of());
    private volatile String activeSpeaker;
    private volatile boolean closed;
    private volatile VideoSettings limits;
    private final ViewerTiers tiers;
    private final AudioLag audioLag;

    Room(String id, MixerConfig config, PeerFactoryPool factories, ScheduledExecutorService timer, Executor pool,
         RoomListener listener) {
        this.id = id;
        this.config = config;
        this.factories = factories;
        this.timer = timer;
        this.listener = listener;
        this.events = new SerialExecutor(pool);
        this.pool = pool;
        this.videoMixer = new VideoMixer(() -> videoRoster, () -> activeSpeaker, config.videoFps(),
                config.maxWidth());
        SpeakerDetector speakers = new SpeakerDetector(config.speakerHoldMs(), this::speakerChanged);
        this.videoClock = new MediaClock("video-" + id, 1_000_000_000L / config.videoFps(), videoMixer);
        this.audioMixer = new AudioMixer(() -> audioRoster, config.loudestN(), speakers);
        this.audioClock = new MediaClock("audio-" + id, TimeUnit.MILLISECONDS.toNanos(10), audioMixer,
                AUDIO_CATCH_UP_TICKS);
        this.tiers = new ViewerTiers(id, () -> members, events, this::retier, listener);
        if (config.tiers()) {
            tiers.start(timer);
        }
        this.audioLag = new AudioLag(id, () -> members, () -> taps);
    }

    public String id() {
        return id;
    }

    /**
     * Adds a participant and creates its peer connection; it sends its offer next.
     *
     * @throws IllegalStateException if the room is closed or the id is taken
     */
    public ParticipantInfo join(String participantId, String name, ViewSpec view) {
        Participant p = add(participantId, name, view, joining -> joining.attach(createPeer(joining)));
        p.peer().audioSending().thenRun(() -> events.execute(() -> listener.mediaFlowing(participantId)));
        return p.info();
    }

    /**
     * Adds a participant under the room's lock, made ready by {@code prepare} before anyone sees
     * it, starts the clocks, and tells the taps and the listener.
     */
    private Participant add(String participantId, String name, ViewSpec view,
                            java.util.function.Consumer<Participant> prepare) {
        Participant p;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("room " + id + " is closed");
            }
            if (find(participantId) != null) {
                throw new IllegalStateException("participant " + participantId + " is already in room " + id);
            }
            p = new Participant(participantId, name, effective(view), config.jitterChunks());
            prepare.accept(p);
            List<Participant> next = new ArrayList<>(members);
            next.add(p);
            publish(next);
            audioClock.start();
        }
        ParticipantInfo info = p.info();
        taps.forEach(t -> t.joined(info));
        events.execute(() -> listener.participantJoined(info));
        return p;
    }

    /**
     * Adds a participant that is a source of the mixer's own, with no peer connection: an ingested
     * file or URL. It is seen and heard like anyone, receives nothing, and leaves like anyone.
     *
     * @param source what feeds it (through {@link #input}); closed when it leaves
     * @throws IllegalStateException if the room is closed or the id is taken
     */
    public ParticipantInfo joinSource(String participantId, String name, AutoCloseable source) {
        return add(participantId, name, ViewSpec.defaults(config), joining -> joining.source(source)).info();
    }

    /** Where a source participant's decoded pictures and sound go. */
    public Participant input(String participantId) {
        return require(participantId);
    }

    private MixerPeer createPeer(Participant p) {
        MixerPeer peer = new MixerPeer(factories, id, p.id(), p.videoSink, p.audioSink, peerEvents(p.id()), timer,
                pool, config.peerTimeoutMs(), config.connectTimeoutMs());
        peer.audioGuard().register(audioClock);
        return peer;
    }

    /**
     * Answers a participant's offer (the first, or a renegotiation). The offer is validated here,
     * before libwebrtc sees it.
     */
    public CompletableFuture<String> offer(String participantId, String sdp) {
        SdpOffer offer = SdpOffer.parse(sdp);
        Participant p = requireClient(participantId);
        ViewSpec view = p.view();
        return p.peer().audioGuard().exchange(() -> p.peer().answer(offer,
                        CodecChoice.forView(config.videoCodecs(), view), view.bitrateKbps(), view.fps()))
                .whenComplete((answer, error) -> updateVideoClock());
    }

    /** The participant's answer has been sent: its mixer's candidates may follow. Unknown ids are ignored. */
    public void answerSent(String participantId) {
        Participant p = find(participantId);
        if (p != null && p.isClient()) {
            p.peer().answerDelivered();
        }
    }

    public void candidate(String participantId, String sdpMid, int sdpMLineIndex, String candidate) {
        requireClient(participantId).peer().addRemoteCandidate(sdpMid, sdpMLineIndex, candidate);
    }

    /** Mutes or unmutes a participant's inputs into everyone else's mix; null leaves a kind unchanged. */
    public ParticipantInfo mute(String participantId, Boolean audio, Boolean video) {
        Participant p;
        synchronized (lock) {
            p = require(participantId);
            p.mute(audio, video);
            publish(members);
        }
        ParticipantInfo info = p.info();
        events.execute(() -> listener.participantUpdated(info));
        return info;
    }

    /**
     * Sets what a participant asks to see, within the room's limits; returns the effective view
     * (the request on the participant's current bandwidth tier).
     */
    public ViewSpec view(String participantId, ViewSpec requested) {
        Participant p;
        ViewSpec view;
        synchronized (lock) {
            p = require(participantId);
            view = p.request(effective(requested));
            publish(members);
        }
        if (p.isClient()) {
            p.peer().limitVideo(p.videoCeilingKbps(), view.fps(), p.tier().minVideoKbps()); // a trial's ceiling stands
        }
        return view;
    }

    /** The room's own video settings bound every view from now on (null: the worker's limits only). */
    public void limitViews(VideoSettings roomVideo) {
        if (roomVideo != null) {
            limits = roomVideo;
        }
    }

    /**
     * A view as this room allows it: inside the room's limits, and pinning only a participant who is
     * in the room (an unknown pin is dropped, so the stage follows the speaker). Called under the lock.
     */
    private ViewSpec effective(ViewSpec requested) {
        ViewSpec v = requested.within(limits);
        return v.pin() != null && find(v.pin()) == null ? v.withPin(null) : v;
    }

    /** A participant's effective view: what it receives now. */
    public ViewSpec currentView(String participantId) {
        return require(participantId).view();
    }

    /** What a participant asked to see (within the room's limits): its effective view on the full tier. */
    public ViewSpec requestedView(String participantId) {
        return require(participantId).requested();
    }

    /** A participant's bandwidth tier. */
    public Tier tier(String participantId) {
        return require(participantId).tier();
    }

    /** This room's automatic bandwidth tiers: viewers per tier, estimates, changes. */
    public ViewerTiers tiers() {
        return tiers;
    }

    /** Puts a viewer on a tier: its composite is redrawn at the tier's size; null when it has left. */
    private ViewSpec retier(Participant p, Tier next) {
        synchronized (lock) {
            if (closed || find(p.id()) != p) {
                return null;
            }
            ViewSpec view = p.tier(next);
            publish(members);
            return view;
        }
    }

    /** Removes a participant and releases its native objects; unknown ids are ignored. */
    public void leave(String participantId, LeaveReason reason) {
        Participant p;
        boolean empty;
        synchronized (lock) {
            p = find(participantId);
            if (p == null) {
                return;
            }
            List<Participant> next = new ArrayList<>(members);
            next.remove(p);
            publish(next);
            empty = next.isEmpty();
        }
        videoClock.awaitTickBoundary(QUIESCE_NANOS);
        audioClock.awaitTickBoundary(QUIESCE_NANOS);
        p.close();
        taps.forEach(t -> t.left(participantId));
        if (empty) {
            stopClocksIfEmpty();
        } else {
            updateVideoClock();
        }
        events.execute(() -> listener.participantLeft(participantId, reason));
    }

    /** Ends the room: every participant is released and the clocks stop. Idempotent. */
    public void close(String reason) {
        List<Participant> gone;
        List<RoomTap> ending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            tiers.stop();
            audioLag.stop();
            gone = members;
            ending = taps;
            taps = List.of();
            publish(List.of());
        }
        videoClock.stop();
        audioClock.stop();
        gone.forEach(Participant::close);
        ending.forEach(RoomTap::roomClosed);
        events.execute(() -> listener.roomClosed(reason));
    }

    /**
     * Adds a recording or live stream: from the next ticks it gets the composite of its view and
     * the full mix; it hears of everyone present now and of everyone who comes and goes.
     *
     * @return false if the room is closed (the tap gets nothing)
     */
    public boolean attach(RoomTap tap) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            List<RoomTap> next = new ArrayList<>(taps);
            next.add(tap);
            taps = List.copyOf(next);
            publish(members);
            updateVideoClock();
            audioLag.start(timer);
            members.forEach(p -> tap.joined(p.info()));
            return true;
        }
    }

    /** Removes a tap; the clocks give it nothing after their current tick. */
    public void detach(RoomTap tap) {
        synchronized (lock) {
            List<RoomTap> next = new ArrayList<>(taps);
            if (next.remove(tap)) {
                taps = List.copyOf(next);
                publish(members);
                updateVideoClock();
            }
        }
    }

    /** The room's recordings and live streams. */
    public List<RoomTap> taps() {
        return taps;
    }

    public List<ParticipantInfo> participants() {
        return videoRoster.feeds().stream().map(f -> ((Participant) f).info()).toList();
    }

    public ParticipantInfo participant(String participantId) {
        return require(participantId).info();
    }

    public String activeSpeaker() {
        return activeSpeaker;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the room's clocks run; they stop when the last participant leaves. */
    public boolean clocksRunning() {
        return videoClock.isRunning() || audioClock.isRunning();
    }

    /** The negotiated outbound video codec of a participant (null before its answer). */
    public String videoCodec(String participantId) {
        Participant p = require(participantId);
        return p.isClient() ? p.peer().videoCodec() : null;
    }

    /** Whether the video clock runs: only while someone takes video (see updateVideoClock). */
    public boolean videoClockRunning() {
        return videoClock.isRunning();
    }

    /** Ticks both clocks have completed; stands still only when they stop or stall. */
    public long clockTicks() {
        return videoClock.completedTicks() + audioClock.completedTicks();
    }

    public long composites() {
        return videoMixer.composites();
    }

    /** Composites (or pushes to a viewer) that failed; each failure stopped only its own view. */
    public long compositeFailures() {
        return videoMixer.failures();
    }

    /** 10 ms chunks of silence the current participants' audio queues gave because they ran dry. */
    public long audioUnderruns() {
        return audioRoster.feeds().stream().mapToLong(f -> f.audioQueue().underruns()).sum();
    }

    /** 10 ms chunks the current participants' audio queues dropped to drain a standing delay. */
    public long audioTrimmed() {
        return audioRoster.feeds().stream().mapToLong(f -> f.audioQueue().trimmed()).sum();
    }

    /** Whether every participant's outbound media is stamped on libwebrtc's clock (true when empty). */
    public boolean syncClockAligned() {
        return members.stream().allMatch(p -> !p.isClient() || p.peer().syncClockAligned());
    }

    /** 10 ms chunks of silence pushed to keep listeners' audio stamps on time after missed ticks. */
    public long audioSilenceRepaid() {
        return audioMixer.silenceRepaid();
    }

    /** Ticks the video clock skipped after stalls (late composites are dropped, not made up). */
    public long videoTicksSkipped() {
        return videoClock.skippedTicks();
    }

    /** Ticks the audio clock skipped after stalls longer than its catch-up budget. */
    public long audioTicksSkipped() {
        return audioClock.skippedTicks();
    }

    /**
     * Runs the video clock only while someone takes video: a participant whose offer receives it, or
     * a recording or live stream. An audio-only room (or one whose viewers are all audio-only) costs
     * no video tick and no composite. Stopping joins the clock thread, which never takes this lock.
     */
    private void updateVideoClock() {
        synchronized (lock) {
            boolean wanted = !closed && (!taps.isEmpty() || members.stream().anyMatch(Participant::takesVideo));
            if (wanted) {
                videoClock.start();
            } else {
                videoClock.stop();
            }
        }
    }

    private void stopClocksIfEmpty() {
        synchronized (lock) {
            if (!members.isEmpty()) {
                return;
            }
            // Stopping joins the clock threads; they never take this lock, so this cannot deadlock.
            videoClock.stop();
            audioClock.stop();
        }
    }

    private void publish(List<Participant> next) {
        members = List.copyOf(next);
        version++;
        videoRoster = new VideoRoster(version, members, taps);
        audioRoster = new AudioRoster(version, members, taps);
    }

    private void speakerChanged(String participantId) {
        activeSpeaker = participantId;
        events.execute(() -> listener.activeSpeaker(participantId));
    }

    private Participant find(String participantId) {
        for (Participant p : members) {
            if (p.id().equals(participantId)) {
                return p;
            }
        }
        return null;
    }

    private Participant require(String participantId) {
        Participant p = find(participantId);
        if (p == null) {
            throw new CodedException(ErrorCode.NOT_FOUND, "no participant " + participantId + " in room " + id);
        }
        return p;
    }

    /** A participant with a peer connection: negotiation commands for an ingest are refused. */
    private Participant requireClient(String participantId) {
        Participant p = require(participantId);
        if (!p.isClient()) {
            throw new CodedException(ErrorCode.BAD_REQUEST, "participant " + participantId + " is an ingest");
        }
        return p;
    }

    private MixerPeer.Events peerEvents(String participantId) {
        return new MixerPeer.Events() {
            @Override
            public void localCandidate(RTCIceCandidate candidate) {
                events.execute(() -> listener.localCandidate(participantId, candidate));
            }

            @Override
            public void connected() {
                LOG.log(Level.DEBUG, "room {0}: participant {1} connected", id, participantId);
            }

            @Override
            public void failed(LeaveReason reason) {
                events.execute(() -> leave(participantId, reason));
            }
        };
    }
}
