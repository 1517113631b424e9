package dev.mcu.controlplane;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * The admin dashboard at {@code /admin}: static files that use the REST API with the key the admin
 * enters, served from the jar as they are.
 */
public final class AdminDashboard {

    private AdminDashboard() {
    }

    public static void routing(HttpRouting.Builder http) {
        StaticContentService.ClassPathBuilder files = StaticContentService.builder("admin");
        files.welcomeFileName("index.html");
        http.register("/admin", files.build());
    }
}
