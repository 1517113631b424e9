package dev.mcu.mixer.peer;

import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaches one video sink and one audio sink to a peer connection's remote tracks as they arrive,
 * and removes every one of them exactly once before the connection closes (after removeSink
 * returns, libwebrtc calls the sink no more). Once closed, tracks that still arrive are ignored.
 */
public final class RemoteTrackSinks {

    private final VideoTrackSink videoSink;
    private final AudioTrackSink audioSink;
    private final List<MediaStreamTrack> attached = new ArrayList<>();
    private boolean closed;

    public RemoteTrackSinks(VideoTrackSink videoSink, AudioTrackSink audioSink) {
        this.videoSink = videoSink;
        this.audioSink = audioSink;
    }

    /** Called from onTrack (a libwebrtc thread): attaches the sink of the track's kind. */
    public void attach(MediaStreamTrack track) {
        synchronized (attached) {
            if (closed) {
                return;
            }
            if (track instanceof VideoTrack v) {
                v.addSink(videoSink);
                attached.add(v);
            } else if (track instanceof AudioTrack a) {
                a.addSink(audioSink);
                attached.add(a);
            }
        }
    }

    /** Removes every attached sink; idempotent. */
    public void detachAll() {
        synchronized (attached) {
            closed = true;
            for (MediaStreamTrack track : attached) {
                if (track instanceof VideoTrack v) {
                    v.removeSink(videoSink);
                } else if (track instanceof AudioTrack a) {
                    a.removeSink(audioSink);
                }
            }
            attached.clear();
        }
    }
}
