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
     * The browser client, from the classpath folder {@code web} (adapter.js is added at build time).
     * Every file is held in memory, read once at start-up: Helidon 4.2.0 serves concurrent requests
     * for entries of one jar with a shared JarFile that one request closes under the others, so
     * some came back empty (helidon-io/helidon#9908, fixed after 4.2.0).
     */
    public static void client(HttpRouting.Builder http) {
        StaticContentService.ClassPathBuilder web = StaticContentService.builder("web");
        web.welcomeFileName("index.html");
        for (String file : CLIENT_FILES) {
            web.addCacheInMemory(file);
        }
        http.register("/", web.build());
    }

    /** The files of the browser client, as the build lays them out under {@code web/}. */
    static final java.util.List<String> CLIENT_FILES = java.util.List.of("index.html", "style.css",
            "vendor/adapter.js", "js/main.js", "js/call.js", "js/signaling.js", "js/backoff.js", "js/media.js",
            "js/stats.js");
}
