package dev.mcu.bench.capacity;

import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.room.Mixer;
import dev.mcu.mixer.room.Room;
import dev.mcu.mixer.room.RoomListener;
import dev.mcu.mixer.video.ViewSpec;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mixer side of the capacity benchmark, in a process of its own: one room, driven over a
 * {@link LineLink}. Messages in: JOIN id width height fps kbps | OFFER id sdp | CAND id mid index cand.
 * Messages out: ANSWER id sdp | CAND id mid index cand | ERROR id text.
 */
public final class MixerWorkerProcess {

    private MixerWorkerProcess() {
    }

    /** Arguments: codec (the only outbound codec the mixer offers, so both sides of the bench use it). */
    public static void main(String[] args) throws Exception {
        MixerConfig config = MixerConfig.defaults().withVideoCodecs(List.of(args[0]));
        try (Mixer mixer = new Mixer(config);
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("port=" + server.getLocalPort());
            System.out.flush();
            Socket socket = server.accept();
            LineLink link = new LineLink(socket);
            AtomicReference<LineLink> out = new AtomicReference<>(link);
            Room room = mixer.room("bench", new RoomListener() {
                @Override
                public void localCandidate(String participantId, RTCIceCandidate c) {
                    out.get().send("CAND", participantId, LineLink.encode(c.sdpMid), String.valueOf(c.sdpMLineIndex),
                            LineLink.encode(c.sdp));
                }
            });
            Object done = new Object();
            link.receive(f -> {
                try {
                    switch (f[0]) {
                        case "JOIN" -> room.join(f[1], f[1], ViewSpec.clamped(config, Layout.GRID,
                                Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                                Integer.parseInt(f[5]), false, null));
                        case "OFFER" -> room.offer(f[1], LineLink.decode(f[2])).whenComplete((answer, error) -> {
                            if (error != null) {
                                link.send("ERROR", f[1], LineLink.encode(String.valueOf(error)));
                            } else {
                                link.send("ANSWER", f[1], LineLink.encode(answer),
                                        String.valueOf(room.videoCodec(f[1])));
                            }
                            room.answerSent(f[1]); // the mixer's candidates follow the answer
                        });
                        case "CAND" -> room.candidate(f[1], LineLink.decode(f[2]), Integer.parseInt(f[3]),
                                LineLink.decode(f[4]));
                        case "QUIT" -> {
                            synchronized (done) {
                                done.notifyAll();
                            }
                        }
                        default -> link.send("ERROR", "-", LineLink.encode("unknown " + f[0]));
                    }
                } catch (RuntimeException e) {
                    link.send("ERROR", f.length > 1 ? f[1] : "-", LineLink.encode(String.valueOf(e)));
                }
            });
            synchronized (done) {
                done.wait();
            }
        }
        System.exit(0);
    }
}
