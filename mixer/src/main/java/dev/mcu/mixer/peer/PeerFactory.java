package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.SyncClock;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One libwebrtc PeerConnectionFactory with a headless audio device (a server has no sound card).
 * Remote audio reaches track sinks only while something pulls playout audio: libwebrtc's own
 * 10 ms poller once the device is bypassed ({@link AudioDeviceBypass}, which also keeps the device from
 * ever recording), else the device's playout thread, with recording kept off by the pauses of
 * {@link AudioSendGuard}. Disposed exactly once, after every peer it made is closed. The mixer lends
 * one to the peers of a room ({@link PeerFactoryPool}).
 */
public final class PeerFactory implements AutoCloseable {

    /**
     * System property for benchmarks only: when true, factories made afterwards keep webrtc-java's
     * own clock epoch, to measure side by side what {@link SyncClockEpoch} changes.
     */
    public static final String KEEP_WEBRTC_JAVA_CLOCK = "mcu.bench.keepWebrtcJavaClock";

    private final HeadlessAudioDeviceModule audioDevice;
    private final PeerConnectionFactory factory;
    private final int minPort;
    private final int maxPort;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AudioSendGuard audioGuard;
    private final boolean deviceBypassed;
    private final SyncClock syncClock;
    private final boolean syncClockAligned;
    private final ClosedConnections closedConnections = new ClosedConnections();
    private boolean playing; // guarded by this

    /** A factory for any number of peers. */
    public PeerFactory(int minPort, int maxPort) {
        this.minPort = minPort;
        this.maxPort = maxPort;
        audioDevice = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(audioDevice);
        deviceBypassed = bypassAudioDevice();
        if (!deviceBypassed) {
            audioDevice.initPlayout();
            audioDevice.startPlayout();
        }
        playing = !deviceBypassed;
        audioGuard = new AudioSendGuard(audioDevice, ForkJoinPool.commonPool(), !deviceBypassed);
        syncClock = new SyncClock(); // after the factory: creating it loaded the native library
        syncClockAligned = !Boolean.getBoolean(KEEP_WEBRTC_JAVA_CLOCK)
                && SyncClockEpoch.alignWithLibwebrtc(syncClock);
    }

    /**
     * Takes the audio device out of the media path for the factory's whole life ({@link AudioDeviceBypass}),
     * through a connection made for that alone and closed at once: the settings belong to the factory.
     */
    private boolean bypassAudioDevice() {
        RTCPeerConnection pc = factory.createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
            }
        });
        try {
            return AudioDeviceBypass.apply(pc);
        } finally {
            close(pc);
        }
    }

    /**
     * Whether the audio device is out of the media path: it never records, so pushes need no pauses,
     * and received audio is pulled by libwebrtc's poller (see {@link AudioDeviceBypass}).
     */
    public boolean deviceBypassed() {
        return deviceBypassed;
    }

    /** Pauses audio pushes of this factory around SDP exchanges; see {@link AudioSendGuard}. */
    public AudioSendGuard audioGuard() {
        return audioGuard;
    }

    /**
     * The one clock every custom source of this factory stamps its frames with. webrtc-java gives
     * each source its own clock (epoch = the source's creation) unless one is shared; sharing one
     * keeps audio and video capture times on a single time base for the receivers' A/V sync, and
     * {@link SyncClockEpoch} puts that base on libwebrtc's clock so the RTCP sender reports are
     * right. Outlives every source: disposed with the factory.
     */
    public SyncClock syncClock() {
        return syncClock;
    }

    /** Whether {@link #syncClock()} reads libwebrtc's clock; if not, receivers cannot lip-sync the mix. */
    public boolean syncClockAligned() {
        return syncClockAligned;
    }

    public PeerConnectionFactory factory() {
        return factory;
    }

    /** A peer connection on host candidates only (loopback and local interfaces), bundled. */
    public RTCPeerConnection create(PeerConnectionObserver observer) {
        RTCConfiguration config = new RTCConfiguration();
        if (minPort > 0) {
            config.portAllocatorConfig = new PortAllocatorConfig(minPort, maxPort, 0);
        }
        return factory.createPeerConnection(config, observer);
    }

    /**
     * A client's peer connection that gathers relayed candidates only, through these TURN servers:
     * a client behind a firewall that blocks UDP to the mixer (tests of a TURN deployment).
     */
    public RTCPeerConnection createRelayed(PeerConnectionObserver observer, List<RTCIceServer> turn) {
        RTCConfiguration config = new RTCConfiguration();
        config.iceServers = new java.util.ArrayList<>(turn);
        config.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
        return factory.createPeerConnection(config, observer);
    }

    /**
     * Closes a connection this factory made: detaches its senders' tracks, closes it, and frees it
     * a few seconds later ({@link ClosedConnections}). A closed connection is left alone; nothing may
     * touch its senders, receivers or transceivers afterwards.
     */
    public void close(RTCPeerConnection pc) {
        long handle = ClosedConnections.handleOf(pc);
        if (handle == 0) {
            return; // closed before: webrtc-java's close() would throw on the forgotten pointer
        }
        NativeRelease.detachSenders(pc);
        pc.close();
        closedConnections.releaseLater(handle);
    }

    /** Native peer connections freed in this process since it started (see {@link #close(RTCPeerConnection)}). */
    public static long connectionsFreed() {
        return ClosedConnections.freed();
    }

    /**
     * Starts or stops the audio device's 10 ms playout thread. A factory idle in the pool stops it:
     * each running one costs about 0.007 cores doing nothing, so a worker that once held a large
     * room would burn a good part of a core with no participant at all.
     */
    synchronized void playout(boolean on) {
        if (closed.get() || deviceBypassed || on == playing) {
            return;
        }
        if (on) {
            audioDevice.initPlayout();
            audioDevice.startPlayout();
        } else {
            audioDevice.stopPlayout();
        }
        playing = on;
    }

    /** Codecs this libwebrtc build can send for a media type (names upper-case, e.g. H264, VP8). */
    public List<RTCRtpCodecCapability> senderCodecs(MediaType type) {
        return factory.getRtpSenderCapabilities(type).getCodecs();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        audioGuard.close(); // a negotiation finishing late must not touch the disposed device
        closedConnections.releaseAll(); // they need the factory's threads to go
        audioDevice.stopPlayout();
        factory.dispose();
        audioDevice.dispose();
        syncClock.dispose();
    }
}
