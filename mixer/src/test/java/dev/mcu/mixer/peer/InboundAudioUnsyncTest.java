package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InboundAudioUnsyncTest {

    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 1 2 IN IP4 127.0.0.1",
            "s=-",
            "a=msid-semantic: WMS cam",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=mid:0",
            "a=msid:cam mic-track",
            "a=ssrc:1111 cname:x",
            "a=ssrc:1111 msid:cam mic-track",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=mid:1",
            "a=msid:cam cam-track",
            "a=ssrc:2222 msid:cam cam-track",
            "");

    @Test
    void audioLosesItsStreamAndVideoKeepsIt() {
        String expected = String.join("\r\n",
                "v=0",
                "o=- 1 2 IN IP4 127.0.0.1",
                "s=-",
                "a=msid-semantic: WMS cam",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                "a=mid:0",
                "a=msid:- mic-track",
                "a=ssrc:1111 cname:x",
                "a=ssrc:1111 msid:- mic-track",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "a=mid:1",
                "a=msid:cam cam-track",
                "a=ssrc:2222 msid:cam cam-track",
                "");
        assertEquals(expected, InboundAudioUnsync.rewrite(OFFER));
    }

    @Test
    void lineEndingsAndOtherLinesAreKept() {
        String lf = "v=0\nm=audio 9 RTP/AVP 0\na=msid:s t\na=rtpmap:0 PCMU/8000";
        assertEquals("v=0\nm=audio 9 RTP/AVP 0\na=msid:- t\na=rtpmap:0 PCMU/8000", InboundAudioUnsync.rewrite(lf));
    }
}
