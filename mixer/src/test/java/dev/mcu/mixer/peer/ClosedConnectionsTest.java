package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed peer connections are freed: webrtc-java keeps one native reference on each that nothing
 * drops, and {@link PeerFactory#close(RTCPeerConnection)} drops it. Each connection here has negotiated a
 * local offer (transceivers, a DTLS certificate, a session description: what a participant's
 * connection holds), and each release must drop the last reference: a few seconds after close, or
 * when the factory is disposed, whichever comes first.
 */
class ClosedConnectionsTest {

    private static final int CONNECTIONS = 30;
    /** The connection each factory makes to set its audio device up (PeerFactory#bypassAudioDevice). */
    private static final int SETUP = 1;

    @BeforeAll
    static void probeTheAudioDeviceFirst() {
        AudioDeviceBypass.available(); // its own two connections are freed before any count starts
    }

    @Test
    void everyClosedConnectionIsFreedAfterTheGracePeriod() throws Exception {
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            long before = PeerFactory.connectionsFreed();
            closeNegotiatedConnections(factory, CONNECTIONS);
            assertEquals(before, PeerFactory.connectionsFreed(), "nothing is freed within the grace period");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ClosedConnections.GRACE_MS + 10_000);
            while (PeerFactory.connectionsFreed() - before < CONNECTIONS + SETUP && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(CONNECTIONS + SETUP, PeerFactory.connectionsFreed() - before,
                    "each release dropped the last native reference");
        }
    }

    @Test
    void aFactoryFreesItsClosedConnectionsBeforeItIsDisposed() throws Exception {
        long before = PeerFactory.connectionsFreed();
        PeerFactory factory = new PeerFactory(0, 0);
        closeNegotiatedConnections(factory, 5);
        factory.close(); // at once: the connections need the factory's threads to be destroyed
        assertEquals(5 + SETUP, PeerFactory.connectionsFreed() - before, "freed before the factory went");
        Thread.sleep(ClosedConnections.GRACE_MS + 500); // and the scheduled releases do nothing more
        assertEquals(5 + SETUP, PeerFactory.connectionsFreed() - before);
    }

    private static void closeNegotiatedConnections(PeerFactory factory, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            RTCPeerConnection pc = factory.create(new PeerConnectionObserver() {
                @Override
                public void onIceCandidate(RTCIceCandidate candidate) {
                }
            });
            CustomVideoSource videoSource = new CustomVideoSource(factory.syncClock());
            CustomAudioSource audioSource = new CustomAudioSource(factory.syncClock());
            VideoTrack video = factory.factory().createVideoTrack("v" + i, videoSource);
            AudioTrack audio = factory.factory().createAudioTrack("a" + i, audioSource);
            pc.addTrack(video, List.of("s" + i));
            pc.addTrack(audio, List.of("s" + i));
            setLocalOffer(pc);
            assertNotEquals(0, ClosedConnections.handleOf(pc));
            factory.close(pc);
            assertEquals(0, ClosedConnections.handleOf(pc), "webrtc-java forgets the pointer on close");
            assertThrows(RuntimeException.class, pc::getSenders, "a closed connection is not usable");
            factory.close(pc); // a second close changes nothing
            NativeRelease.dispose(video);
            NativeRelease.dispose(audio);
            videoSource.dispose();
            audioSource.dispose();
        }
    }

    private static void setLocalOffer(RTCPeerConnection pc) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription offer) {
                pc.setLocalDescription(offer, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(String error) {
                        done.completeExceptionally(new IllegalStateException(error));
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        });
        done.get(10, TimeUnit.SECONDS);
        assertTrue(pc.getLocalDescription() != null);
    }
}
