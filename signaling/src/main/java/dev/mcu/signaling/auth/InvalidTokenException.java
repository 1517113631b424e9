package dev.mcu.signaling.auth;

/** A join token that must be refused with {@code unauthorized}. */
public final class InvalidTokenException extends RuntimeException {

    public InvalidTokenException(String message) {
        super(message);
    }
}
