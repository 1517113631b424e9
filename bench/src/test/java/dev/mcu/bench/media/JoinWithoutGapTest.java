package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import dev.mcu.mixer.peer.PeerFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A participant joining costs nobody else a gap in the mix: the room's peers share one libwebrtc
 * factory, and starting the joiner's stream pauses the factory's pushes for a tick or two
 * (AudioSendGuard.activate), during which each listener's mix is held and pushed late, not lost. A
 * lost tick shows as silence repaid to keep the listener's stamps on time; the only ones allowed are
 * those of audio-clock ticks skipped by a stalled host. Factories are recycled: one that served a
 * room whose participants left carries the next one's media both ways, and one whose peer left before
 * it ever connected is free again at once.
 */
class JoinWithoutGapTest {

    @Test
    void aJoinPausesNobodyElsesAudio() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            List<SyntheticParticipant> ps = h.joinAll(2, i -> h.defaultView(), SyntheticParticipant.Options::flat);
            assertTrue(MixerHarness.eventually(10_000, () -> ps.get(0).audio().toneDb(ps.get(1).tone(), 150)
                    > MixMinusAudioTest.PRESENT_DB), "p0 hears p1 before the join");
            long repaidBefore = h.room.audioSilenceRepaid();
            long skippedBefore = h.room.audioTicksSkipped();

            SyntheticParticipant late = h.join("p2", h.defaultView(), SyntheticParticipant.Options.flat(2));
            assertTrue(MixerHarness.eventually(10_000, () -> late.audio().toneDb(ps.get(0).tone(), 150)
                    > MixMinusAudioTest.PRESENT_DB), "the late joiner hears p0");
            Thread.sleep(300); // the joiner's AudioSendGuard settles, its pushes resume

            long skipped = h.room.audioTicksSkipped() - skippedBefore;
            long repaid = h.room.audioSilenceRepaid() - repaidBefore;
            assertTrue(repaid <= skipped * 3, "silence repaid after the join: " + repaid
                    + " chunks (audio ticks skipped by the host meanwhile: " + skipped + ")");
            assertEquals(1, h.mixer.peerFactories(), "the room's participants share one libwebrtc factory");
        }
    }

    @Test
    void aRecycledFactoryCarriesAudioBothWays() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            List<SyntheticParticipant> first = h.joinAll(2, i -> h.defaultView(), SyntheticParticipant.Options::flat);
            assertTrue(MixerHarness.eventually(10_000, () -> heard(first.get(0), first.get(1))), "first pair");
            h.leave("p0");
            h.leave("p1");
            SyntheticParticipant a = h.join("q0", h.defaultView(), SyntheticParticipant.Options.flat(2));
            SyntheticParticipant b = h.join("q1", h.defaultView(), SyntheticParticipant.Options.flat(3));
            assertEquals(1, h.mixer.peerFactories(), "the second pair borrowed the first pair's factory");
            assertTrue(MixerHarness.eventually(10_000, () -> heard(a, b) && heard(b, a)),
                    "on a recycled factory each hears the other: " + a.audio().toneDb(b.tone(), 150) + " / "
                            + b.audio().toneDb(a.tone(), 150) + " dB");
            assertTrue(MixerHarness.eventually(5_000, () -> a.video().frames() > 0 && b.video().frames() > 0),
                    "and sees the composite");
        }
    }

    private static boolean heard(SyntheticParticipant listener, SyntheticParticipant talker) {
        return listener.audio().toneDb(talker.tone(), 150) > MixMinusAudioTest.PRESENT_DB;
    }

    @Test
    void aPeerThatNeverConnectsGivesItsFactoryBackWhenItLeaves() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults());
             PeerFactory elsewhere = new PeerFactory(0, 0)) {
            h.room.join("ghost", "Ghost", h.defaultView());
            SyntheticParticipant ghost = new SyntheticParticipant(elsewhere, SyntheticParticipant.Options.flat(0));
            CompletableFuture<String> answered = new CompletableFuture<>();
            ghost.connect(new SyntheticParticipant.Signaling() {
                @Override
                public CompletableFuture<String> offer(String sdp) {
                    return h.room.offer("ghost", sdp).whenComplete((a, e) -> answered.complete(a));
                }

                @Override
                public void candidate(String sdpMid, int sdpMLineIndex, String candidate) {
                    // dropped, and the mixer's never reach the ghost: ICE cannot connect
                }
            });
            answered.get(10, TimeUnit.SECONDS);
            h.room.leave("ghost", dev.mcu.events.signal.LeaveReason.LEFT);
            Thread.sleep(300); // the factory's pause ends 60 ms after its peer closed

            SyntheticParticipant next = h.join("p0", h.defaultView(), SyntheticParticipant.Options.flat(1));
            assertEquals(1, h.mixer.peerFactories(), "the ghost's factory was lent again, not left paused");
            assertTrue(MixerHarness.eventually(5_000, () -> next.video().frames() > 0), "the next joiner gets media");
            ghost.close();
        }
    }
}
