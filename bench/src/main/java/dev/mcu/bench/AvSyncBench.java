package dev.mcu.bench;

import dev.mcu.bench.analysis.ReceivedAudio;
import dev.mcu.bench.capacity.LoopbackReceiver;
import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Lip sync through the mixer: every synthetic participant beeps from each whole second of the wall
 * clock and draws that clock into its picture; each viewer reads its video latency from the
 * composite and its audio latency from the beeps' onsets at playout, and the offset between the
 * two is what a person would see. Measures a direct link (no mixer) for reference, then the mixer
 * twice in one process, the clocks aligned with libwebrtc's (the product) and with webrtc-java's own
 * clock epoch (before the fix), and prints one line each.
 */
final class AvSyncBench {

    private static final int PERIOD_MS = 1000;

    private AvSyncBench() {
    }

    static void main(String[] args) throws Exception {
        int seconds = BenchMain.intArg(args, 0, 20, 5, 3600, "seconds");
        int n = BenchMain.intArg(args, 1, 2, 2, 8, "participants");
        System.out.println(direct(seconds));
        for (boolean aligned : new boolean[] {true, false}) {
            System.setProperty(PeerFactory.KEEP_WEBRTC_JAVA_CLOCK, String.valueOf(!aligned));
            try {
                System.out.println(measure(n, seconds));
            } finally {
                System.clearProperty(PeerFactory.KEEP_WEBRTC_JAVA_CLOCK);
            }
        }
    }

    private static String measure(int n, int seconds) throws Exception {
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            List<SyntheticParticipant> ps = room.joinCameras(n);
            for (SyntheticParticipant p : ps) {
                p.beep(PERIOD_MS);
            }
            Thread.sleep(5000); // warm-up: bandwidth estimate, jitter buffers and sync settle
            for (SyntheticParticipant p : ps) {
                p.video().resetLatency();
                p.audio().resetOnsets();
            }
            Thread.sleep(seconds * 1000L);
            List<Long> video = new ArrayList<>();
            List<Long> audio = new ArrayList<>();
            List<Long> offset = new ArrayList<>();
            List<String> perViewer = new ArrayList<>();
            for (SyntheticParticipant p : ps) {
                long v = p.video().medianLatencyMs();
                long a = p.audio().medianOnsetLatencyMs(PERIOD_MS);
                video.add(v);
                audio.add(a);
                offset.add(v - a);
                perViewer.add(v + "/" + a);
            }
            return String.format(Locale.ROOT,
                    "avsync path=mixer clock=%s participants=%d seconds=%d videoP50Ms=%d audioP50Ms=%d offsetMs=%d"
                            + " perViewerOffsetMs=%s perViewerVideoAudioMs=%s"
                            + " (offset = video minus audio latency; positive: video late)",
                    room.mixer.syncClockAligned() && room.clients.syncClockAligned() ? "libwebrtc" : "webrtc-java",
                    n, seconds, median(video), median(audio), median(offset), offset, perViewer);
        }
    }

    /**
     * The reference: one participant straight into a receiver, no mixer, so the lines through the
     * mixer can be read as what the mixer adds (its second hop included).
     */
    private static String direct(int seconds) throws Exception {
        Executor handoff = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
        ReceivedAudio heard = new ReceivedAudio();
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            SyntheticParticipant sender = new SyntheticParticipant(factory,
                    new SyntheticParticipant.Options(0, 640, 360, 30, 8000, true, 1000, List.of()));
            LoopbackReceiver receiver = new LoopbackReceiver(factory, sender::addRemoteCandidate, handoff, heard);
            try {
                sender.connect(receiver.signaling()).get(30, TimeUnit.SECONDS);
                receiver.video().probeLatency(0, 0, 640, 360);
                sender.beep(PERIOD_MS);
                Thread.sleep(5000);
                receiver.video().resetLatency();
                heard.resetOnsets();
                Thread.sleep(seconds * 1000L);
                long v = receiver.video().medianLatencyMs();
                long a = heard.medianOnsetLatencyMs(PERIOD_MS);
                return String.format(Locale.ROOT,
                        "avsync path=direct (one sender straight to one receiver, no mixer) seconds=%d videoP50Ms=%d"
                                + " audioP50Ms=%d offsetMs=%d", seconds, v, a, v - a);
            } finally {
                sender.close();
                receiver.close();
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
