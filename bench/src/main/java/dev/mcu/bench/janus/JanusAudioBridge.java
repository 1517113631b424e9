package dev.mcu.bench.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Janus (1.1.2) as a process of its own, with a configuration written here: the HTTP
 * transport on a loopback port and the AudioBridge plugin, nothing else loaded. Rooms are made and
 * joined through Janus's HTTP API (a session and a plugin handle per participant, events read by long
 * polling), so that the bench measures Janus as its users run it.
 */
public final class JanusAudioBridge implements AutoCloseable {

    private static final String PLUGINS = "/usr/lib/x86_64-linux-gnu/janus/plugins";
    private static final String TRANSPORTS = "/usr/lib/x86_64-linux-gnu/janus/transports";

    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private JanusAudioBridge(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts Janus with its configuration in {@code dir}; waits until its HTTP API answers. */
    public static JanusAudioBridge start(Path dir, int httpPort, int rtpMin, int rtpMax) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/janus"))) {
            throw new IllegalStateException("Janus is not installed: apt-get install janus");
        }
        Files.createDirectories(dir);
        String plugins = disabledAllBut(Path.of(PLUGINS), "libjanus_audiobridge.so");
        String transports = disabledAllBut(Path.of(TRANSPORTS), "libjanus_http.so");
        Files.writeString(dir.resolve("janus.jcfg"), """
                general: { configs_folder = "%s", plugins_folder = "%s", transports_folder = "%s",
                           events_folder = "/nonexistent", loggers_folder = "/nonexistent", debug_level = 3 }
                media: { rtp_port_range = "%d-%d" }
                nat: { ice_ignore_list = "vmnet" }
                plugins: { disable = "%s" }
                transports: { disable = "%s" }
                events: { broadcast = false }
                """.formatted(dir, PLUGINS, TRANSPORTS, rtpMin, rtpMax, plugins, transports));
        Files.writeString(dir.resolve("janus.transport.http.jcfg"), """
                general: { json = "plain", base_path = "/janus", http = true, port = %d, ip = "127.0.0.1", https = false }
                admin: { admin_http = false, admin_https = false }
                """.formatted(httpPort));
        Files.writeString(dir.resolve("janus.plugin.audiobridge.jcfg"), "general: { }\n");
        Process p = new ProcessBuilder("/usr/bin/janus", "-F", dir.toString(), "-C",
                dir.resolve("janus.jcfg").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("janus.log").toFile()).start();
        JanusAudioBridge janus = new JanusAudioBridge(p, URI.create("http://127.0.0.1:" + httpPort + "/janus"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                janus.get(janus.base.resolve("/janus/info"));
                return janus;
            } catch (ConnectException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("Janus did not start; see " + dir.resolve("janus.log"));
                }
                Thread.sleep(200);
            }
        }
    }

    private static String disabledAllBut(Path folder, String keep) throws IOException {
        try (var files = Files.list(folder)) {
            return String.join(",", files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".so") && !n.equals(keep)).sorted().toList());
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Creates an AudioBridge room at 48 kHz (Opus), mixing everyone, as its defaults do. */
    public void createRoom(long room) throws Exception {
        try (Participant admin = participant()) {
            JsonNode reply = admin.request(Map.of("request", "create", "room", room, "sampling_rate", 48_000,
                    "permanent", false));
            String result = reply.path("plugindata").path("data").path("audiobridge").asText();
            if (!"created".equals(result)) {
                throw new IllegalStateException("AudioBridge refused the room: " + reply);
            }
        }
    }

    /** A session with an AudioBridge handle: one participant's signaling. */
    public Participant participant() throws Exception {
        JsonNode session = post(base, Map.of("janus", "create"));
        URI sessionUri = URI.create(base + "/" + session.path("data").path("id").asLong());
        JsonNode handle = post(sessionUri, Map.of("janus", "attach", "plugin", "janus.plugin.audiobridge"));
        return new Participant(sessionUri, URI.create(sessionUri + "/" + handle.path("data").path("id").asLong()));
    }

    /**
     * One participant's Janus session: joins a room with the synthetic client's offer and hands back
     * Janus's answer (an asynchronous event, read by long polling); trickles the client's candidates.
     */
    public final class Participant implements SyntheticParticipant.Signaling, AutoCloseable {
        private final URI session;
        private final URI handle;
        private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        private final Thread poller;
        private volatile boolean closed;
        private volatile long room;
        private volatile String display = "";

        private Participant(URI session, URI handle) {
            this.session = session;
            this.handle = handle;
            this.poller = Thread.ofVirtual().start(this::poll);
        }

        /** A synchronous plugin request (create, list); returns Janus's reply. */
        JsonNode request(Map<String, Object> body) throws Exception {
            return post(handle, Map.of("janus", "message", "body", body));
        }

        /** Sets what {@link #offer} joins. */
        public Participant joining(long room, String display) {
            this.room = room;
            this.display = display;
            return this;
        }

        @Override
        public CompletableFuture<String> offer(String sdp) {
            ObjectNode message = Json.MAPPER.createObjectNode();
            message.put("janus", "message");
            message.set("body", Json.MAPPER.valueToTree(Map.of("request", "join", "room", room, "display", display,
                    "muted", false)));
            message.set("jsep", Json.MAPPER.valueToTree(Map.of("type", "offer", "sdp", sdp)));
            String transaction = UUID.randomUUID().toString();
            message.put("transaction", transaction);
            CompletableFuture<JsonNode> event = new CompletableFuture<>();
            waiting.put(transaction, event);
            try {
                send(handle, message);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            return event.orTimeout(20, TimeUnit.SECONDS).thenApply(e -> {
                JsonNode jsep = e.path("jsep");
                if (!"answer".equals(jsep.path("type").asText())) {
                    throw new IllegalStateException("Janus did not answer: " + e);
                }
                return jsep.path("sdp").asText();
            });
        }

        @Override
        public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
            try {
                post(handle, Map.of("janus", "trickle", "candidate",
                        Map.of("sdpMid", sdpMid, "sdpMLineIndex", sdpMLineIndex, "candidate", candidate)));
            } catch (Exception e) {
                // A lost candidate shows as a participant that does not connect; the bench says so.
            }
        }

        private void poll() {
            while (!closed) {
                try {
                    JsonNode events = get(URI.create(session + "?maxev=10"));
                    for (JsonNode e : events.isArray() ? events : Json.MAPPER.createArrayNode().add(events)) {
                        CompletableFuture<JsonNode> f = waiting.remove(e.path("transaction").asText());
                        if (f != null && e.has("jsep")) {
                            f.complete(e);
                        } else if (f != null && e.path("plugindata").path("data").has("error")) {
                            f.completeExceptionally(new IllegalStateException("AudioBridge: " + e));
                        } else if (f != null && !"ack".equals(e.path("janus").asText())) {
                            waiting.put(e.path("transaction").asText(), f); // not the answer yet
                        }
                    }
                } catch (Exception e) {
                    if (!closed) {
                        sleepQuietly();
                    }
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                post(session, Map.of("janus", "destroy"));
            } catch (Exception ignored) {
                // Janus frees the session on its own timeout.
            }
            poller.interrupt();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode post(URI uri, Map<String, Object> message) throws Exception {
        ObjectNode node = Json.MAPPER.valueToTree(message);
        node.put("transaction", UUID.randomUUID().toString());
        JsonNode reply = send(uri, node);
        if ("error".equals(reply.path("janus").asText())) {
            throw new IllegalStateException("Janus: " + reply.path("error"));
        }
        return reply;
    }

    private JsonNode send(URI uri, JsonNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
