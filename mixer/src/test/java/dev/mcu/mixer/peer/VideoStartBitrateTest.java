package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VideoStartBitrateTest {

    @Test
    void everyVideoFormatStartsAtTheMixersRateAndOtherFormatsAreLeftAlone() {
        String offer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\n"
                + "a=fmtp:97 apt=96\r\na=rtpmap:102 H264/90000\r\n"
                + "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
        String expected = offer.replace("a=rtpmap:96 VP8/90000\r\n",
                        "a=rtpmap:96 VP8/90000\r\na=fmtp:96 x-google-start-bitrate=100\r\n")
                .replace("profile-level-id=42e01f\r\n", "profile-level-id=42e01f;x-google-start-bitrate=100\r\n");
        assertEquals(expected, VideoStartBitrate.request(offer));
    }

    /** A client's floor would hold the mixer's sender at that rate whatever the link does. */
    @Test
    void aClientsOwnRatesAreReplaced() {
        String offer = "m=video 9 UDP/TLS/RTP/SAVPF 98\na=rtpmap:98 vp9/90000\n"
                + "a=fmtp:98 profile-id=0;X-Google-Min-Bitrate=50000;x-google-max-bitrate=90000;;x-google-start-bitrate=9\n";
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 98\na=rtpmap:98 vp9/90000\n"
                + "a=fmtp:98 profile-id=0;x-google-start-bitrate=100\n", VideoStartBitrate.request(offer));
    }

    @Test
    void anOfferWithoutVideoIsLeftAlone() {
        String audio = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n";
        assertEquals(audio, VideoStartBitrate.request(audio));
    }
}
