package dev.mcu.bench.capacity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * The benchmark's stand-in for signaling between the participants' process and the mixer's, until
 * the WebSocket/Kafka path exists: one loopback TCP connection, one message per line, fields
 * separated by spaces, free text base64-encoded.
 */
final class LineLink implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    LineLink(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    void send(String... fields) {
        String line = String.join(" ", fields) + "\n";
        synchronized (out) {
            try {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("link closed", e);
            }
        }
    }

    /** Reads lines on a daemon thread until the connection closes. */
    void receive(Consumer<String[]> handler) {
        Thread.ofPlatform().daemon().name("line-link").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    handler.accept(line.split(" "));
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
