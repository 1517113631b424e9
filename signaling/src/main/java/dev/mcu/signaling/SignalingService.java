package dev.mcu.signaling;

import dev.mcu.signaling.session.Sessions;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The signaling node's routes: the WebSocket {@code /ws} (PROTOCOL.md section 1) and the browser
 * client at {@code /}. Static so that Main and tests build the same server.
 */
public final class SignalingService {

    private SignalingService() {
    }

    public static void routing(WsRouting.Builder ws, Sessions sessions) {
        ws.endpoint("/ws", () -> new SessionListener(sessions));
    }

    /**
     * The browser client, from the classpath folder {@code web} (adapter.js is added at build time),
     * served from the jar as it is (ClientFilesFromJarTest requests every file many times at once).
     */
    public static void client(HttpRouting.Builder http) {
        StaticContentService.ClassPathBuilder web = StaticContentService.builder("web");
        web.welcomeFileName("index.html");
        http.register("/", web.build());
    }
}
