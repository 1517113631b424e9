package dev.mcu.events.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpOfferTest {

    static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=rtpmap:111 opus/48000/2", "a=sendrecv",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000",
            "a=rtpmap:98 H264/90000", "a=recvonly", "");

    @Test
    void readsMediaDirectionsAndCodecs() {
        SdpOffer offer = SdpOffer.parse(OFFER);
        assertTrue(offer.hasAudio() && offer.hasVideo());
        assertEquals("recvonly", offer.media().get(1).direction());
        assertEquals(List.of("VP8", "RTX", "H264"), offer.media().get(1).codecs());
        assertEquals("H264", offer.preferredVideoCodec(List.of("H264", "VP8")));
        assertEquals("VP8", offer.preferredVideoCodec(List.of("AV1", "vp8")));
    }

    @Test
    void refusesWhatIsNotAnUsableOffer() {
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse(null));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("hello"));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("v=0\r\nthis is not sdp"));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\n"));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("v=0\r\n" + "a=x\r\n".repeat(3000)));
        assertThrows(InvalidSdpException.class, () -> SdpOffer.parse("v=0\r\n" + "a=" + "x".repeat(70_000)));
    }
}
