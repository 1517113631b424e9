package dev.mcu.bench.media;

import dev.mcu.bench.synthetic.SyntheticParticipant;
import dev.mcu.mixer.MixerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mixer's Opus encoders use DTX: a listener whose mix is silent (the only one talking hears
 * nobody) gets a packet every few hundred milliseconds instead of fifty a second, while a listener
 * whose mix carries a voice gets every packet and hears it.
 */
class SilentMixDtxTest {

    @Test
    void aSilentMixGoesOutAsAFewPacketsAndAVoiceAsAll() throws Exception {
        try (MixerHarness h = new MixerHarness(MixerConfig.defaults())) {
            SyntheticParticipant talker = h.join("talker", h.defaultView(),
                    SyntheticParticipant.Options.flat(0).audioOnly());
            SyntheticParticipant.Options quiet = SyntheticParticipant.Options.flat(1);
            SyntheticParticipant listener = h.join("listener", h.defaultView(), new SyntheticParticipant.Options(1,
                    quiet.width(), quiet.height(), quiet.fps(), 0, false, quiet.maxBitrateKbps(), List.of()).audioOnly());
            assertTrue(MixerHarness.eventually(8_000, () -> MixMinusAudioTest.db(listener, talker)
                    > MixMinusAudioTest.PRESENT_DB), "the listener hears the talker");
            Thread.sleep(1_000); // DTX starts after a short hangover of silence
            long talkerBefore = talker.audioPacketsReceived();
            long listenerBefore = listener.audioPacketsReceived();
            Thread.sleep(3_000);
            double silentPerSecond = (talker.audioPacketsReceived() - talkerBefore) / 3.0;
            double voicePerSecond = (listener.audioPacketsReceived() - listenerBefore) / 3.0;
            System.out.printf("packets a second: silent mix %.1f, a voice %.1f%n", silentPerSecond, voicePerSecond);
            assertTrue(voicePerSecond > 40, "a mix with a voice in it goes out whole: " + voicePerSecond);
            assertTrue(silentPerSecond < 10, "a silent mix goes out as DTX: " + silentPerSecond);
        }
    }
}
