package dev.mcu.signaling;

import dev.mcu.signaling.protocol.ClientMessageParser;
import dev.mcu.signaling.session.ClientSocket;
import dev.mcu.signaling.session.Session;
import dev.mcu.signaling.session.Sessions;
import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * Helidon's side of one {@code /ws} connection: reassembles fragmented text frames (refusing any
 * over 64 KiB without buffering them), refuses binary frames, and hands the rest to the session.
 */
final class SessionListener implements WsListener {

    private final Sessions sessions;
    private final StringBuilder partial = new StringBuilder();
    private boolean oversized;
    private Session session;

    SessionListener(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void onOpen(WsSession ws) {
        session = sessions.open(new ClientSocket() {
            @Override
            public void sendText(String text) {
                ws.send(text, true);
            }

            @Override
            public void close(int code, String reason) {
                ws.close(code, reason);
            }
        }, address(ws));
        if (session == null) {
            ws.close(1008, "too many connections from this address");
        }
    }

    /** The client's address as this node sees it (a proxy in front shares one address for all). */
    private static String address(WsSession ws) {
        try {
            return ws.socketContext().remotePeer().host();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        if (session == null) {
            return;
        }
        if (!oversized) {
            partial.append(text);
            if (partial.length() > ClientMessageParser.MAX_FRAME_BYTES) {
                oversized = true;
                partial.setLength(0);
            }
        }
        if (!last) {
            return;
        }
        if (oversized) {
            oversized = false;
            session.onUnacceptable("frame is larger than 64 KiB");
        } else {
            String message = partial.toString();
            partial.setLength(0);
            session.onText(message);
        }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        if (session == null) {
            return;
        }
        if (last) {
            session.onUnacceptable("binary frames are not accepted; send JSON text");
        }
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        if (session != null) {
            session.onSocketClosed();
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        if (session != null) {
            session.onSocketClosed();
        }
    }
}
