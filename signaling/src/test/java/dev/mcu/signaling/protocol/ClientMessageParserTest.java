package dev.mcu.signaling.protocol;

import dev.mcu.events.signal.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageParserTest {

    static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n";
    static final String CANDIDATE = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";

    static ProtocolException refused(String text) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ClientMessageParser.parse(text));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        return e;
    }

    @Test
    void everyMessageOfTheContractParses() {
        var join = assertInstanceOf(ClientMessage.Join.class, ClientMessageParser.parse(
                "{\"type\":\"join\",\"token\":\"t\",\"name\":\" Ann \",\"id\":\"1\","
                        + "\"view\":{\"layout\":\"speaker\",\"maxHeight\":180,\"includeSelf\":true}}"));
        assertEquals("Ann", join.name());
        assertEquals("1", join.id());
        assertEquals("speaker", join.view().layout());
        assertEquals(180, join.view().maxHeight());
        assertNull(join.view().maxWidth());
        var offer = assertInstanceOf(ClientMessage.Offer.class, ClientMessageParser.parse(
                "{\"type\":\"offer\",\"sdp\":" + quote(SDP) + "}"));
        assertEquals(2, offer.offer().mediaCount());
        var end = assertInstanceOf(ClientMessage.Candidate.class, ClientMessageParser.parse(
                "{\"type\":\"candidate\",\"candidate\":null}"));
        assertNull(end.candidate());
        var c = assertInstanceOf(ClientMessage.Candidate.class, ClientMessageParser.parse(
                "{\"type\":\"candidate\",\"candidate\":\"" + CANDIDATE + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"));
        assertEquals("0", c.sdpMid());
        var mute = assertInstanceOf(ClientMessage.Mute.class, ClientMessageParser.parse(
                "{\"type\":\"mute\",\"audio\":true}"));
        assertEquals(Boolean.TRUE, mute.audio());
        assertNull(mute.video());
        assertInstanceOf(ClientMessage.ChangeView.class, ClientMessageParser.parse(
                "{\"type\":\"view\",\"view\":{\"layout\":\"presentation\",\"pin\":\"p_1\"}}"));
        assertInstanceOf(ClientMessage.Leave.class, ClientMessageParser.parse("{\"type\":\"leave\"}"));
        assertInstanceOf(ClientMessage.Ping.class, ClientMessageParser.parse("{\"type\":\"ping\",\"extra\":1}"));
    }

    @Test
    void malformedFramesAreRefusedWithAReason() {
        assertTrue(refused("not json").getMessage().contains("not JSON"));
        assertTrue(refused("[1,2]").getMessage().contains("object"));
        assertTrue(refused("{}").getMessage().contains("type"));
        assertTrue(refused("{\"type\":7}").getMessage().contains("string"));
        assertTrue(refused("{\"type\":\"dance\"}").getMessage().contains("unknown type"));
        assertTrue(refused("{\"type\":\"join\"}").getMessage().contains("token"));
        assertTrue(refused("{\"type\":\"join\",\"token\":5}").getMessage().contains("token"));
        assertTrue(refused("{\"type\":\"ping\",\"id\":{}}").getMessage().contains("id"));
        String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        assertTrue(refused(big).getMessage().contains("64 KiB"));
    }

    @Test
    void theIdIsEchoedOnErrorsAfterItWasRead() {
        assertEquals("42", refused("{\"type\":\"offer\",\"id\":\"42\"}").requestId());
    }

    @Test
    void badFieldsOfEachMessageAreRefused() {
        refused("{\"type\":\"join\",\"token\":\"t\",\"name\":\"" + "n".repeat(65) + "\"}");
        refused("{\"type\":\"join\",\"token\":\"t\",\"name\":\"a\\u0000b\"}");
        refused("{\"type\":\"join\",\"token\":\"t\",\"room\":\"no spaces\"}");
        refused("{\"type\":\"join\",\"token\":\"t\",\"view\":\"grid\"}");
        refused("{\"type\":\"view\",\"view\":{\"layout\":\"carousel\"}}");
        refused("{\"type\":\"view\",\"view\":{\"maxWidth\":-5}}");
        refused("{\"type\":\"view\",\"view\":{\"maxWidth\":\"640\"}}");
        refused("{\"type\":\"view\",\"view\":{\"maxFps\":2.5}}");
        refused("{\"type\":\"view\",\"view\":{\"includeSelf\":\"yes\"}}");
        refused("{\"type\":\"view\"}");
        refused("{\"type\":\"mute\"}");
        refused("{\"type\":\"mute\",\"audio\":\"off\"}");
        refused("{\"type\":\"candidate\"}");
        refused("{\"type\":\"candidate\",\"candidate\":\"" + CANDIDATE + "\"}");
        refused("{\"type\":\"candidate\",\"candidate\":\"hello\",\"sdpMid\":\"0\"}");
        refused("{\"type\":\"candidate\",\"candidate\":\"" + CANDIDATE + "\",\"sdpMLineIndex\":-1}");
    }

    @Test
    void sdpThatIsNotAnOfferWeCanTakeIsRefusedBeforeNativeCode() {
        assertTrue(refused("{\"type\":\"offer\",\"sdp\":\"hello\"}").getMessage().contains("sdp"));
        String noMedia = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 DTLS/SCTP 5000\r\n";
        assertTrue(refused("{\"type\":\"offer\",\"sdp\":" + quote(noMedia) + "}").getMessage().contains("m-line"));
        String manyLines = SDP + "a=x\r\n".repeat(5000);
        refused("{\"type\":\"offer\",\"sdp\":" + quote(manyLines) + "}");
        refused("{\"type\":\"offer\",\"sdp\":12}");
    }

    static String quote(String s) {
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
