package dev.mcu.bench;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Recovery after a crashed worker, measured from outside the single-machine default: synthetic
 * participants hold a call; the worker process is killed (its pid from the launcher's
 * {@code mcu_worker_pid} metric) with a real signal, again and again; each time, the time from the
 * kill to the last participant seeing and hearing the others again. Before each kill it waits
 * until the launcher has a booted standby again (a crash right after another finds none and pays
 * a cold JVM). Prints every recovery, p50 and p95, and the server's own recovery metric.
 */
public final class FailoverBench {

    /** What a run measured. */
    public record Result(List<Long> recoveriesMs, long p50Ms, long p95Ms, String serverSummary) {
    }

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int kills = BenchMain.intArg(args, 0, 10, 1, 1000, "kills");
        String signal = args.length > 1 ? args[1] : "KILL";
        if (!List.of("KILL", "ABRT", "SEGV", "TERM").contains(signal)) {
            throw new IllegalArgumentException("signal must be KILL, ABRT, SEGV or TERM: " + signal);
        }
        int participants = BenchMain.intArg(args, 2, 3, 2, 8, "participants");
        String base = args.length > 3 ? args[3] : "http://127.0.0.1:8080";
        Result r = run(base, kills, signal, participants, Duration.ofSeconds(30));
        System.out.printf("failover kills=%d signal=SIG%s participants=%d p50Ms=%d p95Ms=%d maxMs=%d%n", kills, signal,
                participants, r.p50Ms(), r.p95Ms(), r.recoveriesMs().stream().mapToLong(Long::longValue).max().orElse(0));
        System.out.println("server: " + r.serverSummary());
        System.out.println("reproduce: bin/bench failover " + kills + " " + signal + " " + participants);
    }

    /**
     * @param perKill how long one recovery may take before the run fails
     * @throws IllegalStateException when a recovery does not complete in time
     */
    public static Result run(String base, int kills, String signal, int participants, Duration perKill)
            throws Exception {
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws");
        String room = "failover-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newHttpClient();
        List<ProtocolClient> sessions = new ArrayList<>();
        List<SyntheticParticipant> live = new ArrayList<>();
        // Peers of a dead worker are closed once their successors are in the mix (closing them while
        // the others reconnect would be measured); their factories at the end. Keeping them all to
        // the end made the bench itself the machine's load: the 5th recovery took twice the 1st.
        List<SyntheticParticipant> gone = new ArrayList<>();
        List<AutoCloseable> factories = new ArrayList<>();
        List<Long> recoveries = new ArrayList<>();
        try {
            for (int i = 0; i < participants; i++) {
                ProtocolClient c = ProtocolClient.connect(ws);
                sessions.add(c);
                var joined = c.join(ProtocolClient.devToken(http, base, room, "p" + i), "P" + i, null);
                if (!ProtocolClient.type(joined).equals("joined")) {
                    throw new IllegalStateException("join refused: " + joined);
                }
                live.add(connect(c, i, factories));
            }
            awaitEveryoneInTheMix(live, perKill);
            for (int k = 0; k < kills; k++) {
                awaitMetric(http, base, "mcu_worker_spares_ready", v -> v >= 1, Duration.ofSeconds(90));
                long pid = (long) awaitMetric(http, base, "mcu_worker_pid", v -> v > 0, Duration.ofSeconds(30));
                long t0 = System.nanoTime();
                new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
                List<CompletableFuture<SyntheticParticipant>> back = new ArrayList<>();
                for (int i = 0; i < participants; i++) {
                    int index = i;
                    back.add(CompletableFuture.supplyAsync(() -> reconnect(sessions.get(index), index, factories, perKill)));
                }
                gone.addAll(live);
                live.clear();
                for (CompletableFuture<SyntheticParticipant> f : back) {
                    live.add(f.get(perKill.toMillis(), TimeUnit.MILLISECONDS));
                }
                awaitEveryoneInTheMix(live, perKill);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                recoveries.add(ms);
                System.out.printf("kill %2d (SIG%s, pid %d): every participant back in the mix %d ms after it%n", k + 1,
                        signal, pid, ms);
                for (SyntheticParticipant p : gone) {
                    p.close();
                }
                gone.clear();
            }
        } finally {
            for (ProtocolClient c : sessions) {
                c.close();
            }
            for (SyntheticParticipant p : live) {
                p.close();
            }
            for (SyntheticParticipant p : gone) {
                p.close();
            }
            for (AutoCloseable f : factories) {
                f.close();
            }
        }
        long[] sorted = recoveries.stream().mapToLong(Long::longValue).sorted().toArray();
        String server = metricsText(http, base).lines().filter(l -> l.startsWith("mcu_worker_recovery_seconds"))
                .reduce((a, b) -> a + "; " + b).orElse("no mcu_worker_recovery_seconds");
        return new Result(recoveries, JoinTimeBench.percentile(sorted, 50), JoinTimeBench.percentile(sorted, 95),
                server);
    }

    /** A new synthetic participant on a factory of its own (a failing peer's factory gets no new one). */
    private static SyntheticParticipant connect(ProtocolClient session, int index, List<AutoCloseable> owned)
            throws Exception {
        PeerFactory factory = new PeerFactory(0, 0);
        synchronized (owned) {
            owned.add(factory); // closed after every participant (they are closed first)
        }
        SyntheticParticipant p = new SyntheticParticipant(factory, SyntheticParticipant.Options.flat(index));
        session.bind(p);
        p.connect(session).get(20, TimeUnit.SECONDS);
        return p;
    }

    private static SyntheticParticipant reconnect(ProtocolClient session, int index, List<AutoCloseable> owned,
                                                  Duration timeout) {
        try {
            session.await("reconnect", timeout);
            return connect(session, index, owned);
        } catch (Exception e) {
            throw new IllegalStateException("participant " + index + " was not moved: " + e.getMessage(), e);
        }
    }

    /** Each participant sees every other's colour and hears every other's tone. */
    public static void awaitEveryoneInTheMix(List<SyntheticParticipant> ps, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean[] back = new boolean[ps.size()];
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < ps.size(); i++) {
                if (!back[i]) {
                    back[i] = hearsAndSeesTheOthers(ps, i);
                }
                all &= back[i];
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not everyone is back in the mix within " + timeout.toSeconds() + " s: "
                + Arrays.toString(back));
    }

    private static boolean hearsAndSeesTheOthers(List<SyntheticParticipant> ps, int me) {
        SyntheticParticipant p = ps.get(me);
        var picture = p.video().latest();
        if (picture == null || p.video().frames() < 3) {
            return false;
        }
        for (int k = 0; k < ps.size(); k++) {
            if (k == me) {
                continue;
            }
            SyntheticParticipant other = ps.get(k);
            if (p.audio().toneDb(other.tone(), 300) < -40 || !shows(picture, other)) {
                return false;
            }
        }
        return true;
    }

    /** Whether some point of a coarse grid shows the participant's palette colour. */
    private static boolean shows(dev.mcu.bench.analysis.Picture picture, SyntheticParticipant other) {
        for (int y = 8; y < picture.height(); y += 16) {
            for (int x = 8; x < picture.width(); x += 16) {
                if (other.colour().equals(picture.colourAt(x, y))) {
                    return true;
                }
            }
        }
        return false;
    }

    public static double awaitMetric(HttpClient http, String base, String name,
                                      java.util.function.DoublePredicate ok, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double v = Double.NaN;
        while (System.nanoTime() < deadline) {
            v = metricsText(http, base).lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(Double.NaN);
            if (!Double.isNaN(v) && ok.test(v)) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not as expected within " + timeout.toSeconds() + " s: " + v);
    }

    static String metricsText(HttpClient http, String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
