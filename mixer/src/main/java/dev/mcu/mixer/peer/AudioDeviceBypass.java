package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Takes a libwebrtc factory's audio device out of the media path, through two settings of the
 * factory's voice engine that webrtc-java 0.14 does not expose:
 * <ul>
 *   <li>{@code PeerConnectionInterface::SetAudioRecording(false)}: a send stream that starts no longer
 *   starts the device's recording. A recording device feeds every audio send stream of the factory
 *   from its capture thread, concurrently with the threads that push our mixes through
 *   {@code CustomAudioSource}, and libwebrtc's race checker aborts the process: the hazard
 *   {@link AudioSendGuard} otherwise has to pause around.</li>
 *   <li>{@code SetAudioPlayout(false)}: received audio is pulled every 10 ms by libwebrtc's own poller
 *   on an absolute schedule, instead of the headless device's playout thread, which re-anchors every
 *   period on its own wake-up and so pulls fewer than 100 times a second (fixed upstream after 0.14).
 *   Each missed pull is 10 ms that the inbound jitter buffers must squeeze out of every participant's
 *   voice. The poller runs only while the factory receives audio, so an idle factory costs nothing.</li>
 * </ul>
 * One call on any connection of a factory covers every stream it will ever make.
 *
 * <p>The methods are slots {@value #PLAYOUT_SLOT} and {@value #RECORDING_SLOT} of the interface's vtable
 * in the libwebrtc webrtc-java 0.14 bundles (branch-heads/7204): webrtc-java's own JNI calls
 * {@code signaling_state()}, {@code ice_connection_state()}, {@code peer_connection_state()},
 * {@code ice_gathering_state()} and {@code Close()} through slots 53, 54, 56, 57 and 64 (read off its
 * machine code), which puts {@code SetAudioPlayout} and {@code SetAudioRecording} three and two slots
 * before {@code LookupDtlsTransportByMid}, {@code GetSctpTransport} and {@code signaling_state()} in the
 * interface's declaration order; the proxy's functions in those slots take one bool and forward it to
 * the same slots of the connection.
 *
 * <p>The slots are trusted only once their effect has been seen, once per process ({@link #available()}):
 * two connections of a probe factory connect over loopback with audio, while the probe's device hands
 * what it records to a Java sink and pulls nothing from libwebrtc for playout. Recording turned off
 * through its slot: nothing recorded may arrive; turned on (the control): recorded audio must arrive.
 * Playout turned off through its slot: the receiving side's track sink must start getting audio, which
 * the probe's device never pulls. If anything differs, factories keep their device (and the pauses of
 * {@link AudioSendGuard}).
 */
final class AudioDeviceBypass {

    /**
     * System property for benchmarks only: when true, factories keep their audio device (and the
     * pauses of {@link AudioSendGuard}), to measure side by side what the bypass changes.
     */
    static final String KEEP_DEVICE_PROPERTY = "bench.keepAudioDevice";

    /** {@code PeerConnectionInterface::SetAudioPlayout(bool)}, see the class comment. */
    static final int PLAYOUT_SLOT = 49;
    /** {@code PeerConnectionInterface::SetAudioRecording(bool)}, see the class comment. */
    static final int RECORDING_SLOT = 50;

    private static final System.Logger LOG = System.getLogger(AudioDeviceBypass.class.getName());
    private static final long STEP_MS = 10_000;
    private static final long QUIET_MS = 300;
    private static final byte[] TONE = tone();
    private static final VirtualCall CALL = VirtualCall.find();
    private static volatile Boolean available;

    private AudioDeviceBypass() {
    }

    /** Whether {@link #apply} is known to work in this process (probed on the first call, about 1 s). */
    static boolean available() {
        Boolean known = available;
        if (known == null) {
            synchronized (AudioDeviceBypass.class) {
                known = available;
                if (known == null) {
                    known = CALL != null && !Boolean.getBoolean(KEEP_DEVICE_PROPERTY) && probe();
                    available = known;
                }
            }
        }
        return known;
    }

    /**
     * Turns the device's recording and playout off for {@code pc}'s factory, for good; false if that
     * cannot be done here (the device stays as it was). Blocks until libwebrtc's worker thread has
     * applied it: never call it on a libwebrtc thread.
     */
    static boolean apply(RTCPeerConnection pc) {
        return available() && set(pc, RECORDING_SLOT, false) && set(pc, PLAYOUT_SLOT, false);
    }

    private static boolean set(RTCPeerConnection pc, int slot, boolean on) {
        long handle = ClosedConnections.handleOf(pc);
        if (handle == 0 || handle == ClosedConnections.UNKNOWN) {
            return false;
        }
        try {
            CALL.callVoid(handle, slot, on);
            return true;
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "audio device setting through vtable slot " + slot + " failed", e);
            return false;
        }
    }

    /** See the class comment. */
    private static boolean probe() {
        HeadlessAudioDeviceModule device = new HeadlessAudioDeviceModule();
        PeerConnectionFactory factory = new PeerConnectionFactory(device);
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        // Replaces libwebrtc's audio transport on this probe device only: what it records comes here,
        // and its playout thread pulls nothing out of libwebrtc.
        device.setAudioSink((samples, n, bytes, channels, rate, delay, drift) -> recorded.incrementAndGet());
        CustomAudioSource source = new CustomAudioSource();
        AudioTrack track = factory.createAudioTrack("device-probe", source);
        AudioTrackSink sink = (data, bits, rate, channels, frames) -> received.incrementAndGet();
        AudioTrack remote = null;
        ProbePeer sender = new ProbePeer(factory);
        ProbePeer receiver = new ProbePeer(factory);
        AtomicBoolean pushing = new AtomicBoolean(true);
        Thread pusher = Thread.ofPlatform().daemon().name("device-probe").unstarted(() -> {
            while (pushing.get()) {
                source.pushAudio(TONE, 16, 48_000, 1, TONE.length / 2);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            sender.peer = receiver;
            receiver.peer = sender;
            sender.pc.addTrack(track, List.of("probe"));
            if (!set(sender.pc, RECORDING_SLOT, false)) {
                return false;
            }
            connect(sender, receiver);
            Thread.sleep(QUIET_MS);
            boolean quietWhenOff = recorded.get() == 0;
            set(sender.pc, RECORDING_SLOT, true);
            boolean recordedWhenOn = waitFor(() -> recorded.get() > 0, STEP_MS);
            set(sender.pc, RECORDING_SLOT, false);

            remote = remoteAudio(receiver.pc);
            remote.addSink(sink);
            pusher.start();
            Thread.sleep(QUIET_MS);
            boolean silentWithDevicePlayout = received.get() == 0;
            set(receiver.pc, PLAYOUT_SLOT, false);
            boolean heardWithPoller = waitFor(() -> received.get() >= 10, STEP_MS);
            if (quietWhenOff && recordedWhenOn && silentWithDevicePlayout && heardWithPoller) {
                LOG.log(Level.INFO, "audio device bypassed (vtable slots {0} and {1} checked)", PLAYOUT_SLOT,
                        RECORDING_SLOT);
                return true;
            }
            LOG.log(Level.WARNING, "audio device slots did not behave as expected (nothing recorded when off: {0},"
                    + " recorded when on: {1}, nothing received through the device: {2}, received through the"
                    + " poller: {3}): factories keep their audio device and pause pushes around negotiations",
                    quietWhenOff, recordedWhenOn, silentWithDevicePlayout, heardWithPoller);
            return false;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "audio device probe failed: factories keep their audio device and pause"
                    + " pushes around negotiations", e);
            return false;
        } finally {
            pushing.set(false);
            try {
                pusher.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (remote != null) {
                remote.removeSink(sink);
            }
            // As PeerFactory does: the connections are freed before the factory's threads go.
            ClosedConnections closed = new ClosedConnections();
            for (RTCPeerConnection pc : List.of(sender.pc, receiver.pc)) {
                long handle = ClosedConnections.handleOf(pc);
                NativeRelease.detachSenders(pc);
                pc.close();
                closed.releaseLater(handle);
            }
            closed.releaseAll();
            NativeRelease.dispose(track);
            source.dispose();
            factory.dispose();
            device.dispose();
        }
    }

    private static AudioTrack remoteAudio(RTCPeerConnection pc) {
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            MediaStreamTrack track = t.getReceiver().getTrack();
            if (track instanceof AudioTrack audio) {
                return audio;
            }
        }
        throw new IllegalStateException("the probe's receiver has no audio track");
    }

    private static byte[] tone() {
        byte[] pcm = new byte[960];
        for (int i = 0; i < 480; i++) {
            int s = (int) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return pcm;
    }

    private static void connect(ProbePeer sender, ProbePeer receiver) throws Exception {
        RTCSessionDescription offer = describe(sender.pc::createOffer, new RTCOfferOptions());
        apply(sender.pc::setLocalDescription, offer);
        apply(receiver.pc::setRemoteDescription, offer);
        RTCSessionDescription answer = describe(receiver.pc::createAnswer, new RTCAnswerOptions());
        apply(receiver.pc::setLocalDescription, answer);
        apply(sender.pc::setRemoteDescription, answer);
        sender.deliverCandidates();
        receiver.deliverCandidates();
        if (!CompletableFuture.allOf(sender.connected, receiver.connected).thenApply(v -> true)
                .completeOnTimeout(false, STEP_MS, TimeUnit.MILLISECONDS).get()) {
            throw new IllegalStateException("probe peers did not connect");
        }
    }

    private static <O> RTCSessionDescription describe(BiConsumer<O, CreateSessionDescriptionObserver> create,
                                                      O options) throws Exception {
        CompletableFuture<RTCSessionDescription> done = new CompletableFuture<>();
        create.accept(options, new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                done.complete(description);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        });
        return done.get(STEP_MS, TimeUnit.MILLISECONDS);
    }

    private static void apply(BiConsumer<RTCSessionDescription, SetSessionDescriptionObserver> set,
                              RTCSessionDescription description) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        set.accept(description, new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        });
        done.get(STEP_MS, TimeUnit.MILLISECONDS);
    }

    private static boolean waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * One side of the probe's loopback call; its candidates go to the other side once both
     * descriptions are applied ({@link #deliverCandidates}).
     */
    private static final class ProbePeer implements PeerConnectionObserver {
        final RTCPeerConnection pc;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private final List<RTCIceCandidate> gathered = new ArrayList<>();
        private boolean deliver; // guarded by gathered
        volatile ProbePeer peer;

        ProbePeer(PeerConnectionFactory factory) {
            pc = factory.createPeerConnection(new RTCConfiguration(), this);
        }

        void deliverCandidates() {
            List<RTCIceCandidate> now;
            synchronized (gathered) {
                deliver = true;
                now = List.copyOf(gathered);
                gathered.clear();
            }
            now.forEach(peer.pc::addIceCandidate); // outside the lock: it waits for the signaling thread
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            try {
                synchronized (gathered) {
                    if (!deliver) {
                        gathered.add(candidate);
                        return;
                    }
                }
                peer.pc.addIceCandidate(candidate);
            } catch (Throwable e) {
                connected.completeExceptionally(e);
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                connected.complete(null);
            }
        }
    }
}
