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
 * drops, and {@link NativeRelease#detachAndClose} drops it. Each connection here has negotiated a
 * local offer (transceivers, a DTLS certificate, a session description: what a participant's
 * connection holds), and each release must drop the last reference.
 */
class PeerConnectionRefTest {

    private static final int CONNECTIONS = 30;

    @Test
    void everyClosedConnectionIsFreedExactlyOnce() throws Exception {
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            long before = PeerConnectionRef.released();
            for (int i = 0; i < CONNECTIONS; i++) {
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
                assertNotEquals(0, PeerConnectionRef.handleOf(pc));
                NativeRelease.detachAndClose(pc);
                assertEquals(0, PeerConnectionRef.handleOf(pc), "webrtc-java forgets the pointer on close");
                assertThrows(RuntimeException.class, pc::getSenders, "a closed connection is not usable");
                NativeRelease.detachAndClose(pc); // a second close changes nothing
                NativeRelease.dispose(video);
                NativeRelease.dispose(audio);
                videoSource.dispose();
                audioSource.dispose();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (PeerConnectionRef.released() - before < CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(CONNECTIONS, PeerConnectionRef.released() - before,
                    "each release dropped the last native reference");
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
