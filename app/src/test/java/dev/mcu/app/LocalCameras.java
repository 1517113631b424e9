package dev.mcu.app;

import dev.mcu.bench.signaling.ProtocolClient;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.peer.PeerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic participants on loopback sending camera-like video into one room ("Local 0", ...), each
 * on a factory of its own, as the constrained-link tests put beside their slow viewer. Closing
 * closes their sessions, peers and factories, in that order.
 */
final class LocalCameras implements AutoCloseable {

    final List<SyntheticParticipant> participants = new ArrayList<>();
    private final List<ProtocolClient> sessions = new ArrayList<>();
    private final List<PeerFactory> factories = new ArrayList<>();

    static LocalCameras join(DevServer server, String room, int count) throws Exception {
        LocalCameras cameras = new LocalCameras();
        try {
            for (int i = 0; i < count; i++) {
                ProtocolClient session = server.joined(room, "Local " + i);
                cameras.sessions.add(session);
                PeerFactory factory = new PeerFactory(0, 0);
                cameras.factories.add(factory);
                cameras.participants.add(DevServer.connect(session, factory, SyntheticParticipant.Options.camera(i)));
            }
            return cameras;
        } catch (Exception | Error e) {
            cameras.close();
            throw e;
        }
    }

    @Override
    public void close() {
        sessions.forEach(ProtocolClient::close);
        participants.forEach(SyntheticParticipant::close);
        factories.forEach(PeerFactory::close);
    }
}
