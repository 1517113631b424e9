package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AudioFramesTest {

    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=rtpmap:111 opus/48000/2",
            "a=ptime:20",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=rtpmap:96 VP8/90000",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:2", "a=rtpmap:111 opus/48000/2",
            "");

    @Test
    void everyAudioSectionGetsOnePtimeAtItsEndAndVideoNone() {
        String sdp = AudioFrames.request(OFFER, 60);
        assertEquals(String.join("\r\n",
                "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=rtpmap:111 opus/48000/2",
                "a=ptime:60",
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=rtpmap:96 VP8/90000",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:2", "a=rtpmap:111 opus/48000/2",
                "a=ptime:60", ""), sdp);
        assertEquals(sdp, AudioFrames.request(sdp, 60), "applying it twice changes nothing");
    }

    @Test
    void theDefaultLengthRemovesThePtimeAndKeepsTheRest() {
        String back = AudioFrames.request(AudioFrames.request(OFFER, 60), AudioFrames.DEFAULT_MS);
        assertEquals(OFFER.replace("a=ptime:20\r\n", ""), back);
    }

    @Test
    void anSdpWithoutAFinalLineEndOrWithBareNewlinesStaysWellFormed() {
        String bare = "v=0\nm=audio 9 RTP/AVP 0\na=mid:0";
        assertEquals("v=0\nm=audio 9 RTP/AVP 0\na=mid:0\r\na=ptime:60\r\n", AudioFrames.request(bare, 60));
        assertEquals("v=0\nm=video 9 RTP/AVP 96\n", AudioFrames.request("v=0\nm=video 9 RTP/AVP 96\n", 60));
    }
}
