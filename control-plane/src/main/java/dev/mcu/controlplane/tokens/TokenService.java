package dev.mcu.controlplane.tokens;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Join tokens over REST, under {@code /v1}: {@code POST /rooms/{room}/tokens} (admin key), and in
 * dev mode {@code POST /dev/token} for the browser client's own deep links (PROTOCOL.md section 4).
 */
public final class TokenService implements HttpService {

    private final TokenIssuer issuer;
    private final AdminAuth auth;
    private final String publicUrl;

    public TokenService(TokenIssuer issuer, AdminAuth auth, String publicUrl) {
        this.issuer = issuer;
        this.auth = auth;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms/{room}/tokens", this::issue);
    }

    /** The dev-mode endpoint, unauthenticated by design: only the single-machine default mounts it. */
    public void devRouting(HttpRules rules) {
        rules.post("/dev/token", this::devToken);
    }

    private void issue(ServerRequest req, ServerResponse res) {
        try {
            auth.check(req);
            String room = req.path().pathParameters().get("room");
            if (!Ids.valid(room)) {
                throw Problem.badRequest("room id must match [A-Za-z0-9_-]{1,64}");
            }
            JsonBody body = JsonBody.read(req, Set.of("identity", "name", "ttlSeconds"));
            String identity = body.string("identity", true, 256);
            String name = body.string("name", false, 64);
            Integer ttl = body.integer("ttlSeconds", 1, TokenIssuer.MAX_TTL_SECONDS);
            String token = issuer.issue(identity, room, name, ttl == null ? TokenIssuer.DEFAULT_TTL_SECONDS : ttl,
                    TokenIssuer.Grants.PARTICIPANT);
            String joinUrl = publicUrl + "/?room=" + room + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            json(res, Status.CREATED_201, Map.of("token", token, "joinUrl", joinUrl));
        } catch (Problem p) {
            p.send(res);
        }
    }

    private void devToken(ServerRequest req, ServerResponse res) {
        try {
            JsonBody body = JsonBody.read(req, Set.of("room", "name"));
            String room = body.string("room", true, 64);
            if (!Ids.valid(room)) {
                throw Problem.badRequest("room id must match [A-Za-z0-9_-]{1,64}");
            }
            String name = body.string("name", false, 64);
            String identity = Ids.random("guest");
            json(res, Status.CREATED_201, Map.of("token", issuer.issue(identity, room, name,
                    TokenIssuer.DEFAULT_TTL_SECONDS, TokenIssuer.Grants.PARTICIPANT)));
        } catch (Problem p) {
            p.send(res);
        }
    }

    private static void json(ServerResponse res, Status status, Object body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(Json.write(body));
    }
}
