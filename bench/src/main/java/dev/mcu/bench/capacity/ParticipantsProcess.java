package dev.mcu.bench.capacity;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The participants of the capacity benchmark, in a process of their own: N synthetic participants
 * sending camera-like video and a tone, joined to the mixer process over a {@link LineLink}.
 * Prints "measuring" when the window opens and, at its end, what every viewer received.
 * Arguments: port, then {@link StreamArgs}.
 */
public final class ParticipantsProcess {

    private ParticipantsProcess() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        StreamArgs streams = StreamArgs.parse(args, 1);
        int n = streams.participants();
        int width = streams.width();
        int height = streams.height();
        Map<String, SyntheticParticipant> byId = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
        AtomicReference<String> negotiated = new AtomicReference<>();
        try (PeerFactory factory = new PeerFactory(0, 0);
             LineLink link = new LineLink(new Socket(InetAddress.getLoopbackAddress(), port))) {
            link.receive(f -> {
                switch (f[0]) {
                    case "ANSWER" -> {
                        negotiated.set(f.length > 3 ? f[3] : "?");
                        answers.get(f[1]).complete(LineLink.decode(f[2]));
                    }
                    case "CAND" -> {
                        SyntheticParticipant p = byId.get(f[1]);
                        if (p != null) {
                            p.addRemoteCandidate(new RTCIceCandidate(LineLink.decode(f[2]), Integer.parseInt(f[3]),
                                    LineLink.decode(f[4])));
                        }
                    }
                    case "ERROR" -> {
                        CompletableFuture<String> a = answers.get(f[1]);
                        String text = LineLink.decode(f[2]);
                        System.err.println("mixer error for " + f[1] + ": " + text);
                        if (a != null) {
                            a.completeExceptionally(new IllegalStateException(text));
                        }
                    }
                    default -> System.err.println("unexpected " + f[0]);
                }
            });
            List<SyntheticParticipant> ps = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("p" + i);
            }
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                SyntheticParticipant p = new SyntheticParticipant(factory, streams.options(i));
                byId.put(id, p);
                answers.put(id, new CompletableFuture<>());
                link.send("JOIN", id, String.valueOf(width), String.valueOf(height), String.valueOf(streams.fps()),
                        String.valueOf(streams.kbps()));
                p.connect(new SyntheticParticipant.Signaling() {
                    @Override
                    public CompletableFuture<String> offer(String sdp) {
                        link.send("OFFER", id, LineLink.encode(sdp));
                        return answers.get(id);
                    }

                    @Override
                    public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
                        link.send("CAND", id, LineLink.encode(sdpMid), String.valueOf(sdpMLineIndex),
                                LineLink.encode(candidate));
                    }
                }).get(30, TimeUnit.SECONDS);
                List<String> others = new ArrayList<>(ids);
                others.remove(id);
                p.video().probeLatencyInFirstTile(width, height, others);
                ps.add(p);
            }
            MeasurementWindow w = MeasurementWindow.measure(
                    ps.stream().<java.util.function.LongSupplier>map(p -> () -> p.video().frames()).toList(),
                    ps.stream().map(SyntheticParticipant::video).toList(), streams);
            String sizes = String.join(",", ps.stream().map(p -> p.video().width() + "x" + p.video().height()).toList());
            System.out.printf(Locale.ROOT, "done minFps=%.1f p50LatencyMs=%d sizes=%s mixerCodec=%s%n", w.minFps(),
                    w.p50LatencyMs(), sizes, negotiated.get());
            System.out.flush();
            // The parent reads the mixer's threads when it reads "done": they must still be there.
            Thread.sleep(1_000);
            link.send("QUIT");
            for (SyntheticParticipant p : ps) {
                p.close();
            }
        }
        System.exit(0);
    }
}
