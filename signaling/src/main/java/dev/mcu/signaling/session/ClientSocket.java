package dev.mcu.signaling.session;

/** The client end of a session: a WebSocket in production (Helidon's WsSession behind it). */
public interface ClientSocket {

    void sendText(String text);

    void close(int code, String reason);
}
