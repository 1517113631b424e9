package dev.mcu.bench.capacity;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The codec floor: N bare loopback streams (the same camera-like video and tone, size, rate,
 * bitrate and codec as the mixer case), each encoded by a sender and decoded by a receiver in this
 * one process. What the mixer adds is measured against this. Prints "measuring" and, at the end of
 * the window, the delivered frame rate and latency. Arguments: {@link StreamArgs}.
 */
public final class FloorProcess {

    private FloorProcess() {
    }

    public static void main(String[] args) throws Exception {
        StreamArgs streams = StreamArgs.parse(args, 0);
        int n = streams.participants();
        Executor handoff = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
        List<SyntheticParticipant> senders = new ArrayList<>();
        List<LoopbackReceiver> receivers = new ArrayList<>();
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            for (int i = 0; i < n; i++) {
                SyntheticParticipant sender = new SyntheticParticipant(factory, streams.options(i));
                LoopbackReceiver receiver = new LoopbackReceiver(factory,
                        c -> sender.addRemoteCandidate(c), handoff);
                sender.connect(receiver.signaling()).get(30, TimeUnit.SECONDS);
                receiver.video().probeLatency(0, 0, streams.width(), streams.height());
                senders.add(sender);
                receivers.add(receiver);
            }
            MeasurementWindow w = MeasurementWindow.measure(
                    receivers.stream().<java.util.function.LongSupplier>map(r -> r::frames).toList(),
                    receivers.stream().map(LoopbackReceiver::video).toList(), streams);
            System.out.printf(Locale.ROOT, "done minFps=%.1f p50LatencyMs=%d codec=%s%n", w.minFps(), w.p50LatencyMs(),
                    senders.get(0).negotiatedVideoCodec());
            System.out.flush();
            senders.forEach(SyntheticParticipant::close);
            receivers.forEach(LoopbackReceiver::close);
        }
        System.exit(0);
    }
}
