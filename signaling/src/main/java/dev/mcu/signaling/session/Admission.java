package dev.mcu.signaling.session;

import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.state.RevokedTokens;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.signaling.auth.InvalidTokenException;
import dev.mcu.signaling.auth.JoinGrant;
import dev.mcu.signaling.auth.TokenVerifier;
import dev.mcu.signaling.protocol.ClientMessage;
import dev.mcu.signaling.protocol.ClientMessageParser;
import dev.mcu.signaling.protocol.ProtocolException;

/**
 * Turns a {@code join} into what the session needs to enter its room: a verified grant (the token
 * checked, not revoked, for this room), the room's record and the worker that hosts it (placing the
 * room, which creates it if a join may). Every refusal carries its error code.
 */
final class Admission {

    /** What a join was granted. */
    record Admitted(JoinGrant grant, RoomRecord room, String name) {
    }

    private final TokenVerifier tokens;
    private final RevokedTokens revoked;
    private final RoomDirectory directory;

    Admission(TokenVerifier tokens, RevokedTokens revoked, RoomDirectory directory) {
        this.tokens = tokens;
        this.revoked = revoked;
        this.directory = directory;
    }

    /** @throws ProtocolException {@code unauthorized}, {@code forbidden} or {@code unavailable}, with the join's id */
    Admitted admit(ClientMessage.Join j) {
        JoinGrant grant;
        try {
            grant = tokens.verify(j.token());
        } catch (InvalidTokenException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, e.getMessage(), j.id());
        }
        if (j.room() != null && !j.room().equals(grant.room())) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is for another room", j.id());
        }
        if (revoked != null && revoked.isRevoked(grant.tokenId())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN,
                    "this token's participant was removed from the room; ask for a new invitation", j.id());
        }
        // The placement created the room if it did not exist (PROTOCOL.md: auto-create on first join).
        RoomRecord record = directory.assignment(grant.room()).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNAVAILABLE, "no mixer worker can take room " + grant.room(), j.id()));
        String name = j.name() != null ? j.name() : grant.name() != null ? grant.name() : grant.identity();
        if (name.length() > ClientMessageParser.MAX_NAME_CHARS) {
            name = name.substring(0, ClientMessageParser.MAX_NAME_CHARS);
        }
        return new Admitted(grant, record, name);
    }

    /** The kicked participant's token may not join again (until it expires). */
    void revoke(JoinGrant grant) {
        if (revoked != null) {
            revoked.revoke(grant.tokenId(), grant.room(), grant.expiresAtMs());
        }
    }
}
