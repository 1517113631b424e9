package dev.mcu.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code Authorization: Bearer <admin API key>}, compared in constant time. */
public final class AdminAuth {

    private final byte[] expected;

    public AdminAuth(String adminKey) {
        if (adminKey == null || adminKey.length() < 8) {
            throw new IllegalArgumentException("the admin API key must be at least 8 characters");
        }
        this.expected = ("Bearer " + adminKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The handler behind the admin key: any {@link Problem} it throws is sent as problem+json. */
    public Handler guarded(Handler handler) {
        return (req, res) -> {
            try {
                check(req);
                handler.handle(req, res);
            } catch (Problem p) {
                p.send(res);
            }
        };
    }

    /** @throws Problem 401 when the key is missing or wrong */
    public void check(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            throw new Problem(Status.UNAUTHORIZED_401, "missing or wrong admin API key (Authorization: Bearer <key>)");
        }
    }
}
