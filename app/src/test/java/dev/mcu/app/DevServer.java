package dev.mcu.app;

import dev.mcu.bench.analysis.Eventually;
import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;
import dev.mcu.controlplane.tokens.TokenIssuer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The single-machine default on a free port for whole-server tests, with helpers to reach it: its
 * workers are child processes, as in production, unless a test that reaches into a worker's
 * objects starts it {@linkplain #inProcess in process}.
 */
final class DevServer implements AutoCloseable {

    final DevMode dev;
    final TokenIssuer tokens;

    /** The default with the workers inside this JVM, where a test can reach their rooms and peers. */
    static DevServer inProcess(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("mcu.mixer.isolation", "in-process"));
        all.putAll(overrides);
        return new DevServer(all);
    }

    DevServer(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("server.port", "0"));
        all.putAll(overrides);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(all))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        dev = DevMode.start(config);
        tokens = new TokenIssuer(dev.settings().tokenSecret(), Clock.systemUTC());
    }

    int port() {
        return dev.port();
    }

    String token(String room, String identity) {
        return tokens.issue(identity, room, null, 600, TokenIssuer.Grants.PARTICIPANT);
    }

    ProtocolClient client() throws Exception {
        return ProtocolClient.connect(ProtocolClient.wsUri(port()));
    }

    /** A client that has joined the room under this name. */
    ProtocolClient joined(String room, String name) throws Exception {
        ProtocolClient c = client();
        var joined = c.join(token(room, name), name, null);
        if (!ProtocolClient.type(joined).equals("joined")) {
            throw new IllegalStateException("join failed: " + joined);
        }
        return c;
    }

    /** A synthetic participant (colour and tone by index) that negotiates through a joined session. */
    static SyntheticParticipant connect(ProtocolClient session, PeerFactory clients, int index) throws Exception {
        return connect(session, clients, SyntheticParticipant.Options.flat(index));
    }

    static SyntheticParticipant connect(ProtocolClient session, PeerFactory clients, SyntheticParticipant.Options options)
            throws Exception {
        SyntheticParticipant p = new SyntheticParticipant(clients, options);
        session.bind(p);
        p.connect(session).get(15, java.util.concurrent.TimeUnit.SECONDS);
        return p;
    }

    static boolean eventually(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        return Eventually.holds(timeoutMs, condition);
    }

    @Override
    public void close() {
        dev.close();
    }
}
