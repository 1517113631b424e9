package dev.mcu.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcu.app.supervision.WorkerSupervisor;
import dev.mcu.bench.FailoverBench;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mixer workers as supervised child processes, killed with real signals: ten SIGKILLs in a row of
 * the single-machine default's worker (run as users run it, in a process of its own) give ten
 * recoveries within 10 s and leave no process, native thread or peer connection behind, and Ctrl-C
 * on the launcher stops every child; with two workers, a dead worker's room moves while the other
 * worker's room never notices.
 */
@Tag("slow")
class SupervisedWorkersTest {

    /** Ten, as the issue asks (each waits for a booted standby: about 25 s a kill); -Dmcu.failover.kills for more. */
    private static final int KILLS = Integer.getInteger("mcu.failover.kills", 10);

    @Test
    void tenKillsInARowGiveTenRecoveriesAndLeaveNothingBehind(@TempDir Path dir) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(dir)) {
            assertTrue(DevServer.eventually(60_000, () -> launcher.workerProcesses().size() == 2),
                    "a worker and a standby: " + launcher.workerProcesses());
            long threadsBefore = launcher.threads();

            FailoverBench.Result r;
            try {
                r = FailoverBench.run(launcher.base(), KILLS, "KILL", 2, Duration.ofSeconds(20));
            } catch (IllegalStateException e) {
                String log = launcher.logText(); // what the supervisor and its workers said about it
                throw new AssertionError(e.getMessage() + "; the launcher's log ends with:\n"
                        + log.substring(Math.max(0, log.length() - 6000)), e);
            }
            System.out.printf("%d SIGKILLs: recoveries %s ms, p50 %d ms, p95 %d ms; server: %s%n", KILLS,
                    r.recoveriesMs(), r.p50Ms(), r.p95Ms(), r.serverSummary());
            assertEquals(KILLS, r.recoveriesMs().size());
            assertTrue(r.recoveriesMs().stream().allMatch(ms -> ms <= 10_000), "every recovery within 10 s: "
                    + r.recoveriesMs());

            // Nothing left behind: one worker and one standby, no peers once the clients left, and the
            // launcher's threads where they were.
            assertTrue(DevServer.eventually(30_000, () -> launcher.workerProcesses().size() == 2),
                    "worker processes after the kills: " + launcher.workerProcesses());
            assertTrue(DevServer.eventually(15_000, () -> participantsOnWorkers(launcher.base()) == 0),
                    "the worker holds no participant once the clients left");
            long threadsAfter = launcher.threads();
            assertTrue(threadsAfter <= threadsBefore + 10, "launcher threads " + threadsBefore + " -> " + threadsAfter);
            assertTrue(launcher.logText().contains("killed by SIGKILL"), "each death is logged with its cause");

            // Ctrl-C stops the launcher and every child. Where this test itself was started with SIGINT
            // ignored (a background job of a shell without job control), so is the launcher: then SIGTERM.
            List<ProcessHandle> children = launcher.workerProcesses();
            String signal = launcher.ignoresCtrlC() ? "TERM" : "INT";
            boolean stoppedInTime = launcher.signalAndWait(signal, 40);
            String log = launcher.logText();
            assertTrue(stoppedInTime, "the launcher stops on SIG" + signal + ": "
                    + log.substring(Math.max(0, log.length() - 4000)));
            if (log.contains("stopping did not finish")) {
                // Bounded by the launcher's deadline; where it was stuck goes to the test output (seen once in CI).
                System.out.println("WARNING: the launcher halted at its stop deadline: "
                        + log.substring(log.indexOf("stopping did not finish")));
            }
            assertTrue(DevServer.eventually(10_000, () -> children.stream().noneMatch(ProcessHandle::isAlive)),
                    "no worker process outlives the launcher: " + children);
        }
    }

    @Test
    void aDeadWorkersRoomMovesWhileTheOtherWorkersRoomNeverNotices() throws Exception {
        List<PeerFactory> factories = new ArrayList<>();
        List<SyntheticParticipant> peers = new ArrayList<>();
        List<ProtocolClient> sessions = new ArrayList<>();
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "2"))) {
            WorkerSupervisor supervisor = server.dev.supervisor().orElseThrow();
            List<SyntheticParticipant> moving = join(server, "moving", 0, factories, sessions, peers);
            Thread.sleep(2_000); // the first room's cost shows in its worker's heartbeat
            List<SyntheticParticipant> steady = join(server, "steady", 2, factories, sessions, peers);
            String movingWorker = workerOf(server, "moving");
            String steadyWorker = workerOf(server, "steady");
            assertNotEquals(movingWorker, steadyWorker, "the two rooms are on different workers");
            FailoverBench.awaitEveryoneInTheMix(moving, Duration.ofSeconds(20));
            FailoverBench.awaitEveryoneInTheMix(steady, Duration.ofSeconds(20));
            String steadyInstance = supervisor.instance(steadyWorker);
            List<ProtocolClient> steadySessions = sessions.subList(2, 4);

            // At rest first: a standby booting (most of a core for seconds) on this 2-core machine would be
            // measured as the other room's cost (a 1035 ms gap once in the suite).
            assertTrue(DevServer.eventually(60_000, supervisor::spareReady), "a booted standby");
            Thread.sleep(2_000);
            // From before the kill until the end, the steady room's frames keep coming: no gap of a second.
            FrameGaps gaps = new FrameGaps(steady);
            long pid = supervisor.pid(movingWorker);
            assertEquals("0", softCoreLimit(pid), "a worker child dumps no core (mcu.mixer.process.core-dumps)");
            long killedAt = System.nanoTime();
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
            List<SyntheticParticipant> moved = reconnect(sessions.subList(0, 2), Duration.ofSeconds(10), factories,
                    peers);
            FailoverBench.awaitEveryoneInTheMix(moved, Duration.ofSeconds(10));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("the dead worker's room is back in the mix " + ms + " ms after the kill");
            assertTrue(ms <= 10_000, "back in " + ms + " ms");
            Thread.sleep(3_000);
            long longestGapMs = gaps.stop();
            System.out.println("the other room: longest gap between frames " + longestGapMs + " ms");
            assertTrue(longestGapMs < 1_000, "the other room's video went on; longest gap " + longestGapMs + " ms");
            assertEquals(steadyInstance, supervisor.instance(steadyWorker), "the other worker kept running");
            assertEquals(steadyWorker, workerOf(server, "steady"), "the other room stayed where it was");
            for (ProtocolClient s : steadySessions) {
                assertTrue(s.pending().stream().noneMatch(m -> ProtocolClient.type(m).equals("reconnect")),
                        "the other room's participants were never told to reconnect");
            }
            FailoverBench.awaitEveryoneInTheMix(steady, Duration.ofSeconds(5));
        } finally {
            sessions.forEach(ProtocolClient::close);
            peers.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    @Test
    void aWorkerOverItsMemoryBoundIsDrainedThenRestartedAndItsRoomMoves() throws Exception {
        List<PeerFactory> factories = new ArrayList<>();
        List<SyntheticParticipant> peers = new ArrayList<>();
        List<ProtocolClient> sessions = new ArrayList<>();
        try (DevServer server = new DevServer(Map.of("mcu.mixer.count", "2"))) {
            WorkerSupervisor supervisor = server.dev.supervisor().orElseThrow();
            List<SyntheticParticipant> room = join(server, "bloated", 0, factories, sessions, peers);
            FailoverBench.awaitEveryoneInTheMix(room, Duration.ofSeconds(20));
            String bloated = workerOf(server, "bloated");
            String other = supervisor.workerIds().stream().filter(w -> !w.equals(bloated)).findFirst().orElseThrow();
            String instanceBefore = supervisor.instance(bloated);
            long pidBefore = supervisor.pid(bloated);
            assertTrue(supervisor.residentBytes(bloated) > 0, "the supervisor reads the worker's resident memory");

            // The worker's bound drops below what it uses: it is drained (its room moves), then restarted.
            supervisor.memoryBound(bloated, 1);
            List<SyntheticParticipant> moved = reconnect(sessions.subList(0, 2), Duration.ofSeconds(15), factories,
                    peers);
            FailoverBench.awaitEveryoneInTheMix(moved, Duration.ofSeconds(10));
            assertEquals(other, workerOf(server, "bloated"), "the room moved to the worker under its bound");
            assertTrue(DevServer.eventually(30_000, () -> supervisor.recycles(bloated) == 1),
                    "the drained worker is recycled once its room has moved");
            supervisor.memoryBound(bloated, 0);
            assertTrue(DevServer.eventually(30_000, () -> supervisor.pid(bloated) > 0
                            && supervisor.pid(bloated) != pidBefore && !supervisor.instance(bloated).equals(instanceBefore)),
                    "a new process with a new instance took the worker's id");
            server.dev.supervisor().orElseThrow().awaitReady(Duration.ofSeconds(30));
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("mcu_worker_recycles_total{")
                    && l.contains("worker=\"" + bloated + "\"") && l.endsWith(" 1.0")), "recycles in the metrics");
            FailoverBench.awaitEveryoneInTheMix(moved, Duration.ofSeconds(5));
            assertEquals(0, supervisor.recycles(other), "the other worker was left alone");
        } finally {
            sessions.forEach(ProtocolClient::close);
            peers.forEach(SyntheticParticipant::close);
            factories.forEach(PeerFactory::close);
        }
    }

    /** The longest time any of these participants went without a new frame, sampled every 20 ms. */
    private static final class FrameGaps {
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile long longestMs;

        FrameGaps(List<SyntheticParticipant> watched) {
            sampler = Thread.ofPlatform().daemon().start(() -> {
                long[] frames = watched.stream().mapToLong(p -> p.video().frames()).toArray();
                long[] changed = new long[watched.size()];
                java.util.Arrays.fill(changed, System.nanoTime());
                while (running) {
                    long now = System.nanoTime();
                    for (int i = 0; i < watched.size(); i++) {
                        long f = watched.get(i).video().frames();
                        if (f != frames[i]) {
                            frames[i] = f;
                            changed[i] = now;
                        }
                        longestMs = Math.max(longestMs, TimeUnit.NANOSECONDS.toMillis(now - changed[i]));
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long stop() throws InterruptedException {
            running = false;
            sampler.join(1_000);
            return longestMs;
        }
    }

    /** Each session hears {@code reconnect} within the timeout and connects a new peer (indexes 0, 1, ...). */
    private static List<SyntheticParticipant> reconnect(List<ProtocolClient> sessions, Duration timeout,
                                                        List<PeerFactory> factories, List<SyntheticParticipant> all)
            throws Exception {
        List<SyntheticParticipant> moved = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            ProtocolClient s = sessions.get(i);
            s.await("reconnect", timeout);
            PeerFactory f = new PeerFactory(0, 0);
            factories.add(f);
            SyntheticParticipant p = new SyntheticParticipant(f, SyntheticParticipant.Options.flat(i));
            s.bind(p);
            p.connect(s).get(15, TimeUnit.SECONDS);
            moved.add(p);
            all.add(p);
        }
        return moved;
    }

    private static List<SyntheticParticipant> join(DevServer server, String room, int firstIndex,
                                                   List<PeerFactory> factories, List<ProtocolClient> sessions,
                                                   List<SyntheticParticipant> all) throws Exception {
        List<SyntheticParticipant> joined = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + 2; i++) {
            ProtocolClient s = server.joined(room, "P" + i);
            sessions.add(s);
            PeerFactory f = new PeerFactory(0, 0);
            factories.add(f);
            SyntheticParticipant p = DevServer.connect(s, f, i);
            joined.add(p);
            all.add(p);
        }
        return joined;
    }

    private static String workerOf(DevServer server, String room) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/v1/rooms/" + room))
                .header("Authorization", "Bearer " + server.dev.settings().adminKey()).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body()).path("workerId").asText();
    }

    /** Participants on the workers, from the admin API's worker list. */
    private static long participantsOnWorkers(String base) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/workers")).header("Authorization", "Bearer dev-admin-key").build(),
                    HttpResponse.BodyHandlers.ofString());
            long n = 0;
            for (JsonNode w : Json.MAPPER.readTree(r.body()).path("workers")) {
                if (!"dead".equals(w.path("state").asText())) {
                    n += w.path("participants").asLong();
                }
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The soft core-file limit of a process, from /proc (the first number after its name). */
    private static String softCoreLimit(long pid) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
                .filter(l -> l.startsWith("Max core file size")).findFirst().orElseThrow()
                .substring("Max core file size".length()).strip().split("\\s+")[0];
    }
}
