package dev.mcu.mixer.audio;

/** What the audio clock needs of one participant, as a talker and as a listener. */
public interface AudioFeed {

    String id();

    boolean audioMuted();

    /** Where the participant's microphone arrives, as 48 kHz mono chunks. */
    JitterQueue audioQueue();

    /** Whether the participant's outbound audio is connected and takes the mix now (not while it negotiates). */
    boolean receivingAudio();

    /**
     * Whether the participant is connected but its outbound audio may not be pushed into for a
     * moment (its factory starts a stream, see AudioSendGuard): the mix is held for it meanwhile.
     */
    default boolean audioPaused() {
        return false;
    }

    /** Pushes one 10 ms chunk of 48 kHz mono 16-bit little-endian PCM into the outbound track. */
    void sendAudio(byte[] pcm);
}
