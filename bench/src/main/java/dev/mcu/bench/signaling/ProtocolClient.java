package dev.mcu.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.events.Json;
import dev.onvoid.webrtc.RTCIceCandidate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A client of PROTOCOL.md section 1 over a real WebSocket: what tests and benchmarks use to speak
 * to a running server. It keeps every message received in order; {@link #await} takes the first
 * one that matches. As a {@link SyntheticParticipant.Signaling} it carries a synthetic
 * participant's offer and candidates and feeds it the mixer's answer and candidates.
 */
public final class ProtocolClient implements SyntheticParticipant.Signaling, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> inbox = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile SyntheticParticipant participant;
    private volatile CompletableFuture<String> pendingAnswer;

    private ProtocolClient(URI uri) throws Exception {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
    }

    /** Opens {@code ws://host:port/ws}. */
    public static ProtocolClient connect(URI uri) throws Exception {
        return new ProtocolClient(uri);
    }

    public static URI wsUri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** A join token from the single-machine default's {@code POST /dev/token} (PROTOCOL.md section 4). */
    public static String devToken(HttpClient http, String base, String room, String name) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/dev/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("room", room, "name", name)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IllegalStateException("token endpoint answered " + res.statusCode() + ": " + res.body());
        }
        return Json.MAPPER.readTree(res.body()).path("token").asText();
    }

    /** Sends a text frame as is (it need not be valid JSON: conformance tests send garbage). */
    public ProtocolClient sendRaw(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public ProtocolClient send(Object message) {
        return sendRaw(Json.write(message));
    }

    public ProtocolClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** Sends {@code join} and waits for {@code joined} (or an error, returned as is). */
    public JsonNode join(String token, String name, Object view) throws TimeoutException, InterruptedException {
        ObjectNode join = Json.MAPPER.createObjectNode().put("type", "join").put("token", token).put("name", name);
        if (view != null) {
            join.set("view", Json.MAPPER.valueToTree(view));
        }
        sendRaw(join.toString());
        return await(m -> type(m).equals("joined") || type(m).equals("error"), Duration.ofSeconds(15));
    }

    /** The first received message of this type not taken yet. */
    public JsonNode await(String type, Duration timeout) throws TimeoutException, InterruptedException {
        return await(m -> type(m).equals(type), timeout);
    }

    public synchronized JsonNode await(Predicate<JsonNode> match, Duration timeout)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
                JsonNode m = it.next();
                if (match.test(m)) {
                    it.remove();
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no matching message within " + timeout + "; received: " + inbox);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Messages received and not taken, in order. */
    public synchronized List<JsonNode> pending() {
        return List.copyOf(inbox);
    }

    /** Completes with the close code when the server closes the socket. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Lets a synthetic participant negotiate through this session. */
    public void bind(SyntheticParticipant p) {
        this.participant = p;
    }

    @Override
    public CompletableFuture<String> offer(String sdp) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pendingAnswer = answer;
        send(new Offer("offer", OFFER_ID, sdp));
        return answer;
    }

    @Override
    public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
        send(new Candidate("candidate", candidate, sdpMid, sdpMLineIndex));
    }

    private static final String OFFER_ID = "synthetic-offer";

    private record Offer(String type, String id, String sdp) {
    }

    private record Candidate(String type, String candidate, String sdpMid, int sdpMLineIndex) {
    }

    public static String type(JsonNode m) {
        return m.path("type").asText("");
    }

    private void received(String text) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            m = Json.MAPPER.createObjectNode().put("type", "unparseable").put("text", text);
        }
        SyntheticParticipant p = participant;
        if (p != null && type(m).equals("candidate") && m.path("candidate").isTextual()) {
            p.addRemoteCandidate(new RTCIceCandidate(m.path("sdpMid").asText(), m.path("sdpMLineIndex").asInt(),
                    m.path("candidate").asText()));
        }
        CompletableFuture<String> answer = pendingAnswer;
        if (answer != null && type(m).equals("answer")) {
            answer.complete(m.path("sdp").asText());
        } else if (answer != null && type(m).equals("error") && m.path("id").asText().equals(OFFER_ID)) {
            answer.completeExceptionally(new IllegalStateException("offer refused: " + m));
        }
        synchronized (this) {
            inbox.add(m);
            notifyAll();
        }
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
