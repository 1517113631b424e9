package dev.mcu.bench.capacity;

import dev.mcu.bench.analysis.ReceivedVideo;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.peer.RemoteCandidates;
import dev.mcu.mixer.peer.RemoteTrackSinks;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The receiving end of one bare loopback stream (the codec floor, the lip sync reference): answers
 * an offer without sending anything back, decodes what arrives, and counts video frames.
 */
public final class LoopbackReceiver implements AutoCloseable {

    private final RTCPeerConnection pc;
    private final AtomicLong frames = new AtomicLong();
    private final ReceivedVideo received = new ReceivedVideo(Long.MAX_VALUE);
    private final VideoTrackSink videoSink = frame -> {
        frames.incrementAndGet();
        received.onVideoFrame(frame); // reads the time code, releases the frame
    };
    private final RemoteTrackSinks inbound;
    private final RemoteCandidates remoteCandidates;
    private final PeerFactory factory;

    /** A receiver that discards the audio it decodes (the floor measures the codecs, not analysis). */
    LoopbackReceiver(PeerFactory factory, Consumer<RTCIceCandidate> candidates, Executor handoff) {
        this(factory, candidates, handoff, (data, bits, rate, channels, count) -> { });
    }

    public LoopbackReceiver(PeerFactory factory, Consumer<RTCIceCandidate> candidates, Executor handoff,
                            AudioTrackSink audioSink) {
        this.factory = factory;
        inbound = new RemoteTrackSinks(videoSink, audioSink);
        pc = factory.create(new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                handoff.execute(() -> candidates.accept(candidate));
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                try {
                    inbound.attach(transceiver.getReceiver().getTrack());
                } catch (Throwable ignored) {
                    // A callback from native code must not throw.
                }
            }
        });
        remoteCandidates = new RemoteCandidates(pc);
    }

    /** Signaling straight into this receiver, for a sender in the same process. */
    public SyntheticParticipant.Signaling signaling() {
        return new SyntheticParticipant.Signaling() {
            @Override
            public CompletableFuture<String> offer(String sdp) {
                return answer(sdp);
            }

            @Override
            public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
                addCandidate(sdpMid, sdpMLineIndex, candidate);
            }
        };
    }

    private CompletableFuture<String> answer(String offer) {
        CompletableFuture<String> result = new CompletableFuture<>();
        pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offer), new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                remoteCandidates.descriptionApplied();
                pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
                    @Override
                    public void onSuccess(RTCSessionDescription answer) {
                        pc.setLocalDescription(answer, new SetSessionDescriptionObserver() {
                            @Override
                            public void onSuccess() {
                                result.complete(answer.sdp);
                            }

                            @Override
                            public void onFailure(String error) {
                                result.completeExceptionally(new IllegalStateException(error));
                            }
                        });
                    }

                    @Override
                    public void onFailure(String error) {
                        result.completeExceptionally(new IllegalStateException(error));
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IllegalStateException(error));
            }
        });
        return result;
    }

    private void addCandidate(String mid, int index, String candidate) {
        remoteCandidates.add(new RTCIceCandidate(mid, index, candidate));
    }

    /** The sender's picture fills the frame: latency is read from the whole frame. */
    public ReceivedVideo video() {
        return received;
    }

    long frames() {
        return frames.get();
    }

    @Override
    public void close() {
        inbound.detachAll();
        factory.close(pc);
    }
}
