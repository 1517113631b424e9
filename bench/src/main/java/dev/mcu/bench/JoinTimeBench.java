package dev.mcu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Join time through the whole product: from opening the WebSocket to the first mixed frame the
 * joining client decodes, for repeated joins into a room where two participants already talk.
 * Runs against a server at a URL (bin/bench join starts the single-machine default for it).
 * Prints one line a script can check, with p50 and p95, and the phases' medians.
 */
final class JoinTimeBench {

    private JoinTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int joins = BenchMain.intArg(args, 0, 20, 1, 1000, "joins");
        String base = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        String room = "join-bench-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newHttpClient();
        List<long[]> phases = new ArrayList<>();
        long[] firstJoins = new long[2];
        directJoins(2); // this JVM's own client code warm, so that the first join times the server's
        long[][] firstPhases = new long[2][3];
        try (PeerFactory clients = new PeerFactory(0, 0)) {
            List<AutoCloseable> residents = new ArrayList<>();
            ProtocolClient watcher = null;
            try {
                // The first two joins are timed too: the first is the first of a freshly started worker.
                for (int i = 0; i < 2; i++) {
                    String token = ProtocolClient.devToken(http, base, room, "resident" + i);
                    long t0 = System.nanoTime();
                    ProtocolClient c = ProtocolClient.connect(ws);
                    residents.add(c);
                    JsonNode joined = c.join(token, "Resident " + i, null);
                    require(joined);
                    firstPhases[i][0] = ms(t0);
                    SyntheticParticipant p = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(i));
                    residents.add(p);
                    c.bind(p);
                    var connected = p.connect(c);
                    c.await("answer", Duration.ofSeconds(20));
                    firstPhases[i][1] = ms(t0);
                    connected.get(20, TimeUnit.SECONDS);
                    firstPhases[i][2] = ms(t0);
                    while (p.video().frames() == 0 && ms(t0) < 20_000) {
                        Thread.sleep(1);
                    }
                    firstJoins[i] = ms(t0);
                    watcher = c;
                }
                Thread.sleep(1000);
                for (int i = 0; i < joins; i++) {
                    phases.add(joinOnce(http, base, ws, room, clients, i, watcher));
                }
            } finally {
                for (AutoCloseable c : residents) {
                    c.close();
                }
            }
        }
        long[] total = phases.stream().mapToLong(p -> p[3]).sorted().toArray();
        System.out.printf("firstJoins firstMs=%d secondMs=%d (socket open to first mixed frame; the first is the"
                + " first join of the worker when the server was just started) first: joined %d answer %d"
                + " connected %d ms%n", firstJoins[0], firstJoins[1], firstPhases[0][0], firstPhases[0][1],
                firstPhases[0][2]);
        System.out.printf("joinTime joins=%d roomSize=3 p50Ms=%d p95Ms=%d minMs=%d maxMs=%d"
                        + " joinedP50Ms=%d answerP50Ms=%d connectedP50Ms=%d%n",
                joins, percentile(total, 50), percentile(total, 95), total[0], total[total.length - 1],
                median(phases, 0), median(phases, 1), median(phases, 2));
        long[] direct = directJoins(joins);
        System.out.printf("joinTimeDirect joins=%d roomSize=3 p50Ms=%d p95Ms=%d (in-process mixer, no WebSocket,"
                        + " no Kafka, measured after the line above) ratioP50=%.2f%n", joins, percentile(direct, 50),
                percentile(direct, 95), (double) percentile(total, 50) / percentile(direct, 50));
        System.out.println("reproduce: bin/bench join " + joins);
    }

    /**
     * The same joins with the mixer in this JVM and signaling by direct calls: the baseline the
     * product's WebSocket and Kafka relay are compared with.
     */
    private static long[] directJoins(int joins) throws Exception {
        long[] ms = new long[joins];
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            room.join("resident0", room.defaultView(), SyntheticParticipant.Options.flat(0));
            room.join("resident1", room.defaultView(), SyntheticParticipant.Options.flat(1));
            Thread.sleep(1000);
            for (int i = 0; i < joins; i++) {
                long t0 = System.nanoTime();
                SyntheticParticipant p = room.join("joiner" + i, room.defaultView(), SyntheticParticipant.Options.flat(2));
                while (p.video().frames() == 0) {
                    if (ms(t0) > 20_000) {
                        throw new IllegalStateException("direct join " + i + ": no mixed frame within 20 s");
                    }
                    Thread.sleep(1);
                }
                ms[i] = ms(t0);
                room.leave("joiner" + i);
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    /** One join; returns the ms from opening the socket to: joined, answer, ICE connected, first frame. */
    private static long[] joinOnce(HttpClient http, String base, URI ws, String room, PeerFactory clients, int i,
                                   ProtocolClient watcher) throws Exception {
        String token = ProtocolClient.devToken(http, base, room, "joiner" + i);
        long t0 = System.nanoTime();
        long[] at = new long[4];
        try (ProtocolClient c = ProtocolClient.connect(ws);
             SyntheticParticipant p = new SyntheticParticipant(clients, SyntheticParticipant.Options.flat(2))) {
            JsonNode joined = c.join(token, "Joiner " + i, null);
            at[0] = ms(t0);
            require(joined);
            c.bind(p);
            var connected = p.connect(c);
            c.await("answer", Duration.ofSeconds(20));
            at[1] = ms(t0);
            connected.get(20, TimeUnit.SECONDS);
            at[2] = ms(t0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (p.video().frames() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("join " + i + ": no mixed frame within 20 s");
                }
                Thread.sleep(1);
            }
            at[3] = ms(t0);
            String id = joined.path("participantId").asText();
            c.sendRaw("{\"type\":\"leave\"}");
            watcher.await(m -> ProtocolClient.type(m).equals("participant-left")
                    && m.path("participantId").asText().equals(id), Duration.ofSeconds(20));
        }
        System.out.printf("join %2d: joined %4d ms, answer %4d ms, connected %4d ms, first mixed frame %4d ms%n",
                i, at[0], at[1], at[2], at[3]);
        return at;
    }

    private static void require(JsonNode joined) {
        if (!ProtocolClient.type(joined).equals("joined")) {
            throw new IllegalStateException("join refused: " + joined);
        }
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static long median(List<long[]> phases, int index) {
        long[] v = phases.stream().mapToLong(p -> p[index]).sorted().toArray();
        return percentile(v, 50);
    }

    static long percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
