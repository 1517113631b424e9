package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.media.MediaStreamTrack;

import java.lang.System.Logger.Level;

/**
 * The release rules webrtc-java 0.14 imposes, in one place. A track's dispose() drops the Java
 * side's native reference and then throws an Error when some other reference (a sender) still
 * holds the track; so senders let go of their tracks before the connection closes, and the Error,
 * raised after our reference is gone, is logged rather than propagated. Connections are closed by
 * their factory ({@link PeerFactory#close(RTCPeerConnection)}), which also frees them.
 */
public final class NativeRelease {

    private static final System.Logger LOG = System.getLogger(NativeRelease.class.getName());

    private NativeRelease() {
    }

    /** Detaches every sender's track, so that closing the connection can release them. */
    static void detachSenders(RTCPeerConnection pc) {
        try {
            for (RTCRtpSender sender : pc.getSenders()) {
                if (sender.getTrack() != null) {
                    pc.removeTrack(sender);
                }
            }
        } catch (Throwable e) {
            LOG.log(Level.DEBUG, "senders not detached before close", e);
        }
    }

    /** Drops the Java side's reference to a track we created; call exactly once per track. */
    public static void dispose(MediaStreamTrack track) {
        try {
            track.dispose();
        } catch (Error e) {
            LOG.log(Level.DEBUG, "track {0} still referenced by libwebrtc after release", track);
        }
    }
}
