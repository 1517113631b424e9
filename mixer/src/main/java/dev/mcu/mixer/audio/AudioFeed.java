package dev.mcu.mixer.audio;

/** What the audio clock needs of one participant, as a talker and as a listener. */
public interface AudioFeed {

    String id();

    boolean audioMuted();

    /** Where the participant's microphone arrives, as 48 kHz mono chunks. */
    JitterQueue audioQueue();

    /** Whether the participant's outbound audio is connected and takes the mix now (not while it negotiates). */
    boolean receivingAudio();

    /** Pushes one 10 ms chunk of 48 kHz mono 16-bit little-endian PCM into the outbound track. */
    void sendAudio(byte[] pcm);
}
