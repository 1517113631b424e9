package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpusDtxTest {

    @Test
    void theOpusFormatAsksForDtxAndNothingElseChanges() {
        String offer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\na=rtpmap:111 opus/48000/2\r\n"
                + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:0 PCMU/8000\r\na=fmtp:0 foo=1\r\n";
        assertEquals(offer.replace("useinbandfec=1\r\n", "useinbandfec=1;usedtx=1\r\n"), OpusDtx.request(offer));
    }

    @Test
    void aClientsOwnChoiceStandsAndAMissingFormatLineIsAdded() {
        String own = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 usedtx=0\r\n";
        assertEquals(own, OpusDtx.request(own));
        String bare = "m=audio 9 UDP/TLS/RTP/SAVPF 109\na=rtpmap:109 opus/48000/2\na=sendrecv\n";
        assertEquals("m=audio 9 UDP/TLS/RTP/SAVPF 109\na=rtpmap:109 opus/48000/2\na=fmtp:109 usedtx=1\na=sendrecv\n",
                OpusDtx.request(bare));
    }

    @Test
    void anOfferWithoutOpusIsLeftAlone() {
        String video = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n";
        assertEquals(video, OpusDtx.request(video));
    }
}
