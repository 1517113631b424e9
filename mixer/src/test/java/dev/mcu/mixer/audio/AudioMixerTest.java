package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mixing arithmetic with in-memory talkers (the real media path is covered by the bench harness). */
class AudioMixerTest {

    /** A talker sending a constant value and recording the first sample of what it is sent. */
    static final class ConstantFeed implements AudioFeed {
        final String id;
        final short value;
        final JitterQueue queue = new JitterQueue(8);
        final List<Integer> heard = new ArrayList<>();
        boolean muted;
        boolean receiving = true;

        ConstantFeed(String id, int value) {
            this.id = id;
            this.value = (short) value;
        }

        void speak() {
            short[] chunk = queue.claim();
            java.util.Arrays.fill(chunk, value);
            queue.publish();
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean audioMuted() {
            return muted;
        }

        @Override
        public JitterQueue audioQueue() {
            return queue;
        }

        @Override
        public boolean receivingAudio() {
            return receiving;
        }

        @Override
        public void sendAudio(byte[] pcm) {
            heard.add((int) (short) ((pcm[0] & 0xff) | (pcm[1] << 8)));
        }

        int last() {
            return heard.get(heard.size() - 1);
        }
    }

    private static AudioMixer mixer(List<ConstantFeed> feeds, int loudest) {
        AudioRoster roster = new AudioRoster(1, feeds);
        return new AudioMixer(() -> roster, loudest, null);
    }

    private static void tick(AudioMixer mixer, List<ConstantFeed> feeds, int n) {
        for (ConstantFeed f : feeds) {
            while (f.queue.depth() < 2) {
                f.speak();
            }
        }
        mixer.tick(n, 0);
    }

    @Test
    void everyoneHearsTheOthersAndNeverThemselves() {
        List<ConstantFeed> feeds = List.of(new ConstantFeed("a", 100), new ConstantFeed("b", 200),
                new ConstantFeed("c", 400));
        AudioMixer mixer = mixer(feeds, 3);
        tick(mixer, feeds, 0);
        assertEquals(600, feeds.get(0).last());
        assertEquals(500, feeds.get(1).last());
        assertEquals(300, feeds.get(2).last());
    }

    @Test
    void onlyTheLoudestAreMixedAndTheRestShareOneMix() {
        List<ConstantFeed> feeds = List.of(new ConstantFeed("a", 100), new ConstantFeed("b", 2000),
                new ConstantFeed("c", 4000), new ConstantFeed("d", 50));
        AudioMixer mixer = mixer(feeds, 2);
        tick(mixer, feeds, 0);
        assertEquals(6000, feeds.get(0).last());
        assertEquals(4000, feeds.get(1).last());
        assertEquals(2000, feeds.get(2).last());
        assertEquals(6000, feeds.get(3).last());
    }

    @Test
    void aMutedTalkerLeavesEveryMix() {
        List<ConstantFeed> feeds = List.of(new ConstantFeed("a", 100), new ConstantFeed("b", 200),
                new ConstantFeed("c", 400));
        feeds.get(2).muted = true;
        AudioMixer mixer = mixer(feeds, 3);
        tick(mixer, feeds, 0);
        assertEquals(200, feeds.get(0).last());
        assertEquals(100, feeds.get(1).last());
        assertEquals(300, feeds.get(2).last());
    }

    @Test
    void ticksAListenerMissedArePaidBackInSilenceSoItsStampsStayOnTheWallClock() {
        List<ConstantFeed> feeds = List.of(new ConstantFeed("a", 100), new ConstantFeed("b", 200));
        AudioMixer mixer = mixer(feeds, 3);
        tick(mixer, feeds, 0);
        feeds.get(0).receiving = false; // a negotiates: ticks 1..3 push nothing to it
        for (int n = 1; n <= 3; n++) {
            tick(mixer, feeds, n);
        }
        feeds.get(0).receiving = true;
        tick(mixer, feeds, 4);
        assertEquals(List.of(200, 0, 0, 0, 200), feeds.get(0).heard);
        assertEquals(List.of(100, 100, 100, 100, 100), feeds.get(1).heard, "b was never paused");
        tick(mixer, feeds, 7); // ticks 5 and 6 skipped by a late clock
        assertEquals(List.of(200, 0, 0, 0, 200, 0, 0, 200), feeds.get(0).heard);
        assertEquals(List.of(100, 100, 100, 100, 100, 0, 0, 100), feeds.get(1).heard);
        assertEquals(3 + 2 + 2, mixer.silenceRepaid());
    }

    @Test
    void aLongDebtIsPaidBackAFewChunksPerTickAndCapped() {
        List<ConstantFeed> feeds = List.of(new ConstantFeed("a", 100), new ConstantFeed("b", 200));
        AudioMixer mixer = mixer(feeds, 3);
        tick(mixer, feeds, 0);
        tick(mixer, feeds, 13); // 12 ticks missed
        assertEquals(1 + SilenceDebt.REPAY_PER_TICK + 1, feeds.get(0).heard.size());
        tick(mixer, feeds, 14);
        tick(mixer, feeds, 15);
        assertEquals(1 + 12 + 3, feeds.get(0).heard.size()); // paid back in full, nothing more
        tick(mixer, feeds, 16);
        assertEquals(1 + 12 + 4, feeds.get(0).heard.size());

        tick(mixer, feeds, 100_016); // a listener back after 1000 s: six seconds of silence at most
        long repaid = mixer.silenceRepaid();
        for (int n = 100_017; n < 100_017 + SilenceDebt.MAX_OWED_CHUNKS; n++) {
            tick(mixer, feeds, n);
        }
        assertEquals(2L * (12 + SilenceDebt.MAX_OWED_CHUNKS), mixer.silenceRepaid());
        assertEquals(true, repaid < mixer.silenceRepaid());
    }
}
