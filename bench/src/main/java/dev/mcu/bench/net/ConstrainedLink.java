package dev.mcu.bench.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rate-limited link to a host of its own: a network namespace joined to this host by a veth pair,
 * with a token-bucket filter (tc tbf) on both ends, so that traffic between the two addresses, and
 * only that, crosses a link of the given rate in each direction. A client started with
 * {@link #command} runs inside the namespace and reaches this host only at {@link #hostAddress}.
 * <p>
 * Needs root, iproute2 and the kernel's tbf qdisc. netem (delay, loss) is not available on these
 * machines' kernels, so a link has a rate and a queue, nothing else. {@link #unavailable} says why a
 * link cannot be made here, for tests to skip with that reason.
 */
public final class ConstrainedLink implements AutoCloseable {

    /** Link index per process: each link has its own /30 in 10.201.0.0/16. */
    private static final AtomicInteger NEXT = new AtomicInteger(1);
    /** The queue a tbf keeps before it drops: a deep, cellular-like buffer. */
    private static final int QUEUE_MS = 200;

    private final String namespace;
    private final String hostDevice;
    private final String clientDevice;
    private final String hostAddress;
    private final String clientAddress;
    private volatile int kbps;
    private boolean closed;

    private ConstrainedLink(int index) {
        String tag = ProcessHandle.current().pid() % 10_000 + "x" + index;
        this.namespace = "mcu-link-" + tag;
        this.hostDevice = "mh" + tag;
        this.clientDevice = "mc" + tag;
        this.hostAddress = "10.201." + index + ".1";
        this.clientAddress = "10.201." + index + ".2";
    }

    /**
     * Why a constrained link cannot be made on this machine (not root, no {@code ip}, no tbf), or
     * empty when it can. Makes and removes a probe link to find out.
     */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("constrained links need root (network namespaces, veth, tc); running as "
                    + System.getProperty("user.name"));
        }
        try (ConstrainedLink probe = open(1000)) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("no constrained link here: " + e.getMessage());
        }
    }

    /** A new namespace behind a link of {@code kbps} kbit/s each way (0: unlimited). */
    public static ConstrainedLink open(int kbps) throws IOException {
        int index = NEXT.getAndIncrement();
        if (index > 250) {
            throw new IllegalStateException("too many links in one process");
        }
        ConstrainedLink link = new ConstrainedLink(index);
        try {
            link.up();
            link.rate(kbps);
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    private void up() throws IOException {
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", hostDevice, "type", "veth", "peer", "name", clientDevice);
        run("ip", "link", "set", clientDevice, "netns", namespace);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostDevice);
        run("ip", "link", "set", hostDevice, "up");
        inside("ip", "addr", "add", clientAddress + "/30", "dev", clientDevice);
        inside("ip", "link", "set", clientDevice, "up");
        inside("ip", "link", "set", "lo", "up");
    }

    /** Sets the rate of both directions, at once for traffic in flight; 0 lifts the limit. */
    public synchronized void rate(int kbps) throws IOException {
        if (kbps < 0 || kbps > 10_000_000) {
            throw new IllegalArgumentException("rate out of range: " + kbps + " kbit/s");
        }
        shape(List.of(), hostDevice, kbps);
        shape(List.of("ip", "netns", "exec", namespace), clientDevice, kbps);
        this.kbps = kbps;
    }

    public int rateKbps() {
        return kbps;
    }

    private void shape(List<String> prefix, String device, int rate) throws IOException {
        List<String> clear = new ArrayList<>(prefix);
        clear.addAll(List.of("tc", "qdisc", "del", "dev", device, "root"));
        exec(clear, true);
        if (rate == 0) {
            return;
        }
        // A bucket of at least two full frames (a tbf smaller than a packet passes nothing) or 20 ms.
        long burstBytes = Math.max(3_028, rate * 1000L / 8 / 50);
        List<String> add = new ArrayList<>(prefix);
        add.addAll(List.of("tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", rate + "kbit", "burst",
                Long.toString(burstBytes), "latency", QUEUE_MS + "ms"));
        exec(add, false);
    }

    /** This host's end of the link: what a client inside reaches the server at. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The client's address inside the namespace. */
    public String clientAddress() {
        return clientAddress;
    }

    public String namespace() {
        return namespace;
    }

    /** A command line that runs {@code command} inside the namespace. */
    public List<String> command(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(command);
        return cmd;
    }

    /** Removes the namespace and with it both ends of the link; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            exec(List.of("ip", "netns", "del", namespace), true);
            exec(List.of("ip", "link", "del", hostDevice), true); // gone with the namespace, unless it never moved
        } catch (IOException e) {
            // best effort: a leftover namespace is named after this process
        }
    }

    private void inside(String... command) throws IOException {
        exec(command(List.of(command)), false);
    }

    private static void run(String... command) throws IOException {
        exec(List.of(command), false);
    }

    private static void exec(List<String> command, boolean mayFail) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0 && !mayFail) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
