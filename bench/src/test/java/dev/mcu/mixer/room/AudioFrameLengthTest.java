package dev.mcu.mixer.room;

import dev.mcu.bench.analysis.Eventually;
import dev.mcu.bench.synthetic.LocalRoom;
import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.MixerPeer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smallest tier's 60 ms audio frames, with real peers: the mixer applies the listener's offer
 * again for itself, and the listener then receives about 17 audio packets a second instead of 50,
 * still hears the talker, and keeps its picture; back at 20 ms it gets 50 again. Nothing is
 * renegotiated with the client (its connection stays as it was). In this package for the
 * participant's peer, which the room keeps to itself.
 */
class AudioFrameLengthTest {

    @Test
    void theMixGoesOutInLongerFramesAndBackWithoutTheClientNoticing() throws Exception {
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            SyntheticParticipant talker = room.join("talker", room.defaultView(), SyntheticParticipant.Options.flat(0));
            SyntheticParticipant listener = room.join("listener", room.defaultView(),
                    SyntheticParticipant.Options.flat(1));
            assertTrue(Eventually.holds(10_000, () -> hears(listener, talker)), "the listener hears the talker");
            MixerPeer peer = room.room.input("listener").peer();
            String answerBefore = listener.connection().getRemoteDescription().sdp;

            double at20 = packetsPerSecond(listener);
            peer.audioFrameLength(60).get(10, TimeUnit.SECONDS);
            Thread.sleep(1_000); // frames already in flight
            double at60 = packetsPerSecond(listener);
            long frames = listener.video().frames();
            assertTrue(hears(listener, talker), "still hears the talker in 60 ms frames");
            assertTrue(Eventually.holds(3_000, () -> listener.video().frames() > frames + 10),
                    "and still receives the picture");
            peer.audioFrameLength(20).get(10, TimeUnit.SECONDS);
            Thread.sleep(1_000);
            double back = packetsPerSecond(listener);

            System.out.printf("audio packets a second: 20 ms %.1f, 60 ms %.1f, back %.1f%n", at20, at60, back);
            assertTrue(at20 > 45, "20 ms frames: about 50 packets a second, " + at20);
            assertTrue(at60 > 13 && at60 < 20, "60 ms frames: about 17 packets a second, " + at60);
            assertTrue(back > 45, "back to 20 ms: " + back);
            assertTrue(hears(listener, talker), "and hears the talker");
            assertEquals(answerBefore, listener.connection().getRemoteDescription().sdp,
                    "the client was never sent another answer");
        }
    }

    /**
     * What the clients do on the smallest tier: they apply the mixer's last answer again with
     * {@code a=ptime:60}, without signaling, and libwebrtc's Opus encoder sends 60 ms frames; the
     * others still hear them. A client that offers again on that tier gets an answer that asks for
     * the same. Back at 20 ms, 50 packets a second again.
     */
    @Test
    void aClientSendsTheFramesItsAnswerAsksFor() throws Exception {
        try (LocalRoom room = new LocalRoom(MixerConfig.defaults())) {
            SyntheticParticipant talker = room.join("talker", room.defaultView(), SyntheticParticipant.Options.flat(0));
            SyntheticParticipant listener = room.join("listener", room.defaultView(),
                    SyntheticParticipant.Options.flat(1));
            assertTrue(Eventually.holds(10_000, () -> hears(listener, talker)), "the listener hears the talker");
            MixerPeer peer = room.room.input("talker").peer();

            double at20 = sentPerSecond(talker);
            peer.audioFrameLength(60).get(10, TimeUnit.SECONDS);
            talker.audioFrameLength(60).get(10, TimeUnit.SECONDS);
            assertEquals("a=ptime:60", talker.remoteAudioPtime(), "applied again with 60 ms frames");
            Thread.sleep(1_000);
            double at60 = sentPerSecond(talker);
            assertTrue(hears(listener, talker), "the others still hear it");
            talker.renegotiate().get(10, TimeUnit.SECONDS);
            assertEquals("a=ptime:60", talker.remoteAudioPtime(), "the mixer's answer on that tier asks the same");
            peer.audioFrameLength(20).get(10, TimeUnit.SECONDS);
            talker.audioFrameLength(20).get(10, TimeUnit.SECONDS);
            assertEquals("-", talker.remoteAudioPtime(), "back at 20 ms the answer asks for nothing");
            Thread.sleep(1_000);
            double back = sentPerSecond(talker);

            System.out.printf("client's audio packets a second: 20 ms %.1f, 60 ms %.1f, back %.1f%n", at20, at60, back);
            assertTrue(at20 > 45, "20 ms frames: about 50 packets a second, " + at20);
            assertTrue(at60 > 13 && at60 < 20, "60 ms frames: about 17 packets a second, " + at60);
            assertTrue(back > 45, "back to 20 ms: " + back);
            assertTrue(hears(listener, talker), "and is heard");
        }
    }

    private static boolean hears(SyntheticParticipant listener, SyntheticParticipant talker) {
        return listener.audio().toneDb(talker.tone(), 400) > -30;
    }

    private static double sentPerSecond(SyntheticParticipant p) throws Exception {
        long before = p.audioPacketsSent();
        Thread.sleep(3_000);
        return (p.audioPacketsSent() - before) / 3.0;
    }

    private static double packetsPerSecond(SyntheticParticipant p) throws Exception {
        long before = p.audioPacketsReceived();
        Thread.sleep(3_000);
        return (p.audioPacketsReceived() - before) / 3.0;
    }
}
