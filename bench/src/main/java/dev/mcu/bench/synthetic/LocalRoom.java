package dev.mcu.bench.synthetic;

import dev.mcu.events.signal.LeaveReason;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.room.RoomListener;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real mixer and real webrtc-java clients in one JVM, connected over loopback: signaling is
 * direct method calls (the Kafka relay arrives with the signaling service), media is real
 * DTLS-SRTP through libwebrtc on both sides.
 */
public class LocalRoom implements AutoCloseable {

    public final Mixer mixer;
    public final PeerFactory clients;
    public final Room room;
    public final List<String> speakerEvents = new CopyOnWriteArrayList<>();
    public final List<String> leftEvents = new CopyOnWriteArrayList<>();
    private final Map<String, SyntheticParticipant> byId = new ConcurrentHashMap<>();

    public LocalRoom(MixerConfig config) {
        mixer = new Mixer(config);
        clients = new PeerFactory(0, 0);
        room = mixer.room("room-1", new RoomListener() {
            @Override
            public void localCandidate(String participantId, RTCIceCandidate candidate) {
                SyntheticParticipant p = byId.get(participantId);
                if (p != null) {
                    p.addRemoteCandidate(candidate);
                }
            }

            @Override
            public void activeSpeaker(String participantId) {
                speakerEvents.add(String.valueOf(participantId));
            }

            @Override
            public void participantLeft(String participantId, LeaveReason reason) {
                leftEvents.add(participantId + ":" + reason.wire());
            }
        });
    }

    public SyntheticParticipant join(String id, ViewSpec view, SyntheticParticipant.Options options) throws Exception {
        return join(id, view, options, clients);
    }

    /** Joins with a client factory of the caller's (a browser of its own); the caller closes it after this room. */
    public SyntheticParticipant join(String id, ViewSpec view, SyntheticParticipant.Options options,
                                     PeerFactory clientFactory) throws Exception {
        room.join(id, "Name " + id, view);
        SyntheticParticipant p = new SyntheticParticipant(clientFactory, options);
        byId.put(id, p);
        p.connect(new SyntheticParticipant.Signaling() {
            @Override
            public CompletableFuture<String> offer(String sdp) {
                // As the worker does: the mixer's candidates follow the answer.
                return room.offer(id, sdp).whenComplete((answer, error) -> room.answerSent(id));
            }

            @Override
            public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
                room.candidate(id, sdpMid, sdpMLineIndex, candidate);
            }
        }).get(20, TimeUnit.SECONDS);
        return p;
    }

    /** Joins participants p0..p(n-1), each with the view and the options the functions give. */
    public List<SyntheticParticipant> joinAll(int n, java.util.function.IntFunction<ViewSpec> view,
                                       java.util.function.IntFunction<SyntheticParticipant.Options> options)
            throws Exception {
        List<SyntheticParticipant> joined = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            joined.add(join("p" + i, view.apply(i), options.apply(i)));
        }
        return joined;
    }

    /**
     * Joins p0..p(n-1) as 640x360 camera-like senders with default views, each reading the sender's
     * time code from the first tile of its composite (latency through the mixer).
     */
    public List<SyntheticParticipant> joinCameras(int n) throws Exception {
        List<SyntheticParticipant> ps = joinAll(n, i -> defaultView(), i ->
                new SyntheticParticipant.Options(i, 640, 360, 30, 8000, true, 1000, List.of()));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("p" + i);
        }
        for (int i = 0; i < n; i++) {
            List<String> others = new java.util.ArrayList<>(ids);
            others.remove(i);
            ps.get(i).video().probeLatencyInFirstTile(640, 360, others);
        }
        return ps;
    }

    public void leave(String id) {
        room.leave(id, LeaveReason.LEFT);
        SyntheticParticipant p = byId.remove(id);
        if (p != null) {
            p.close();
        }
    }

    public ViewSpec defaultView() {
        return ViewSpec.defaults(mixer.config());
    }

    @Override
    public void close() {
        for (String id : List.copyOf(byId.keySet())) {
            leave(id);
        }
        mixer.close();
        clients.close();
    }
}
