package dev.mcu.controlplane;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.util.List;

/**
 * The admin dashboard at {@code /admin}: static files that use the REST API with the key the admin
 * enters. Held in memory for the same reason as the browser client (helidon-io/helidon#9908).
 */
public final class AdminDashboard {

    static final List<String> FILES = List.of("index.html", "admin.css", "admin.js");

    private AdminDashboard() {
    }

    public static void routing(HttpRouting.Builder http) {
        StaticContentService.ClassPathBuilder files = StaticContentService.builder("admin");
        files.welcomeFileName("index.html");
        FILES.forEach(files::addCacheInMemory);
        http.register("/admin", files.build());
    }
}
