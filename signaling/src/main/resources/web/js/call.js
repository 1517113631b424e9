// A participant's call: the signaling session (PROTOCOL.md section 1) and the one peer connection
// that sends the camera and microphone and receives the room's mixed stream. It reconnects by
// itself when the socket drops, and renegotiates when the server says the room moved.
import { Signaling } from './signaling.js';
import { backoffDelay } from './backoff.js';
import { ptimeOf, withPtime } from './sdp.js';

export class Call extends EventTarget {
  #signaling = new Signaling();
  #pc = null;
  #inbox = Promise.resolve();
  #earlyCandidates = [];
  #attempt = 0;
  #retryTimer = null;
  #ended = false;
  #audioFrameMs = 20; // the microphone's Opus frames, as the answer applied last asks

  constructor({ wsUrl, token, name, room, stream, view, relayOnly }) {
    super();
    // Only TURN-relayed candidates (?relay=1): checks a TURN deployment the way a client behind a
    // UDP-blocking firewall would use it.
    this.iceTransportPolicy = relayOnly ? 'relay' : 'all';
    this.wsUrl = wsUrl;
    this.token = token;
    this.name = name;
    this.room = room;
    this.stream = stream;
    this.view = view || {};
    this.state = 'connecting';
    this.participantId = null;
    this.participants = new Map();
    this.activeSpeaker = null;
    this.recordings = new Set(); // ids of the room's running recordings (the 'recording' event)
    this.muted = { audio: false, video: false };
    this.remoteStream = null;
    this.lastError = null;
    this.#signaling.addEventListener('open', () => this.#join());
    // One message at a time, in order: an answer is applied before the candidates that follow it.
    this.#signaling.addEventListener('message', (e) => {
      this.#inbox = this.#inbox.then(() => this.#onMessage(e.detail))
        .catch((err) => console.warn('message handling failed', e.detail?.type, err));
    });
    this.#signaling.addEventListener('close', (e) => this.#onSocketClosed(e.detail));
  }

  get peerConnection() {
    return this.#pc;
  }

  start() {
    this.#signaling.connect(this.wsUrl);
  }

  setMuted(kind, muted) {
    this.muted[kind] = muted;
    this.stream.getTracks().filter((t) => t.kind === kind).forEach((t) => { t.enabled = !muted; });
    this.#signaling.send({ type: 'mute', [kind]: muted });
  }

  setView(change) {
    this.view = { ...this.view, ...change };
    for (const [k, v] of Object.entries(this.view)) if (v === undefined || v === null) delete this.view[k];
    this.#signaling.send({ type: 'view', view: this.view });
  }

  leave() {
    this.#end('left');
    this.#signaling.send({ type: 'leave' });
    this.#closePeer();
  }

  #setState(state, detail) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, detail } }));
  }

  #changed() {
    this.dispatchEvent(new Event('participants'));
  }

  #join() {
    this.#attempt = 0;
    this.#signaling.send({ type: 'join', token: this.token, name: this.name, room: this.room, view: this.view });
  }

  async #addCandidate(pc, m) {
    try {
      await pc?.addIceCandidate(m.candidate ? { candidate: m.candidate, sdpMid: m.sdpMid,
        sdpMLineIndex: m.sdpMLineIndex } : null);
    } catch (e) {
      console.warn('remote candidate refused', m.candidate, e);
    }
  }

  async #onMessage(m) {
    switch (m.type) {
      case 'joined':
        this.participantId = m.participantId;
        this.participants = new Map(m.participants.map((p) => [p.id, p]));
        this.recordings.clear(); // a running recording is told again right after joined
        this.#setState('joined');
        this.#changed();
        if (this.muted.audio || this.muted.video) {
          this.#signaling.send({ type: 'mute', audio: this.muted.audio, video: this.muted.video });
        }
        await this.#negotiate(m.iceServers || []);
        break;
      case 'answer': {
        const pc = this.#pc;
        await pc?.setRemoteDescription({ type: 'answer', sdp: m.sdp });
        this.#audioFrameMs = ptimeOf(m.sdp); // on the smallest tier the server's answer asks 60 ms
        const early = this.#earlyCandidates.splice(0);
        for (const c of early) await this.#addCandidate(pc, c);
        break;
      }
      case 'candidate':
        if (this.#pc && !this.#pc.remoteDescription) {
          this.#earlyCandidates.push(m); // before its answer: kept until the answer is applied
        } else {
          await this.#addCandidate(this.#pc, m);
        }
        break;
      case 'participant-joined':
      case 'participant-updated':
        this.participants.set(m.participant.id, m.participant);
        this.#changed();
        break;
      case 'participant-left':
        if (m.participantId === this.participantId) {
          // The mixer dropped us (our media path failed): join again on the same socket.
          this.#closePeer();
          this.#setState('reconnecting', m.reason);
          this.#join();
        } else {
          this.participants.delete(m.participantId);
          this.#changed();
        }
        break;
      case 'active-speaker':
        this.activeSpeaker = m.participantId;
        this.#changed();
        break;
      case 'view-changed':
        this.view = { ...this.view, layout: m.view.layout, pin: m.view.pin };
        // tier (an extension): the mixer holds the view below the request for this link's bandwidth.
        this.dispatchEvent(new CustomEvent('view', { detail: { ...m.view, tier: m.tier || null } }));
        await this.#followTier(m.tier || 'full');
        break;
      case 'recording':
        // A recording or live stream of the room started or stopped: everyone is told, and shown.
        if (m.active) this.recordings.add(m.recordingId || '');
        else this.recordings.delete(m.recordingId || '');
        this.dispatchEvent(new CustomEvent('recording', { detail: { active: this.recordings.size > 0 } }));
        break;
      case 'reconnect':
        // The room moved to another mixer: a fresh offer (new ICE credentials), same participantId.
        this.#setState('reconnecting', m.reason);
        await this.#negotiate(this.iceServers || []);
        break;
      case 'kicked':
        this.#end('kicked', m.reason);
        break;
      case 'room-closed':
        this.#end('room-closed', m.reason);
        break;
      case 'error':
        this.lastError = m;
        console.warn('server error', m.code, m.message);
        this.dispatchEvent(new CustomEvent('server-error', { detail: m }));
        if (m.code === 'unauthorized' || m.code === 'forbidden' || m.code === 'room-full') {
          this.#end(m.code, m.message);
        }
        break;
      default:
        break;
    }
  }

  // The upload follows the tier (an extension, docs/PROTOCOL.md): on the two smallest tiers a link
  // that cannot carry the mix cannot carry a camera either, and the feedback that steers the mix
  // travels up the same link. Tiny: the camera at a quarter of its size, at most 60 kbit/s, Opus 24;
  // minimal: the camera paused, Opus 16 in 60 ms frames; otherwise the normal upload.
  async #followTier(tier) {
    const limits = { tiny: { video: 60000, scale: 4, audio: 24000 }, minimal: { video: 0, scale: 1, audio: 16000 } }[tier]
      || { video: null, scale: 1, audio: null };
    for (const sender of this.#pc?.getSenders() || []) {
      const kind = sender.track?.kind;
      const p = sender.getParameters();
      if (!kind || !p.encodings?.length) continue;
      for (const e of p.encodings) {
        const max = kind === 'video' ? limits.video : limits.audio;
        if (max) e.maxBitrate = max; else delete e.maxBitrate;
        if (kind === 'video') {
          e.active = max !== 0;
          e.scaleResolutionDownBy = limits.scale;
        }
      }
      try {
        await sender.setParameters(p);
      } catch (err) {
        console.warn('upload limits refused', kind, err);
      }
    }
    await this.#audioFrames(tier === 'minimal' ? 60 : 20);
  }

  // Sets the length of the microphone's Opus frames without a word to the server: offers again
  // locally and applies the server's last answer again with a=ptime (the encoder takes its frame
  // length from the remote description). At 20 ms the packets' headers alone fill a 40 kbit/s
  // link, and an offer and its answer would wait behind them for seconds.
  async #audioFrames(ms) {
    const pc = this.#pc;
    const answer = pc?.currentRemoteDescription;
    if (ms === this.#audioFrameMs || !answer || pc.signalingState !== 'stable') return;
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await pc.setRemoteDescription({ type: 'answer', sdp: withPtime(answer.sdp, ms) });
      this.#audioFrameMs = ms;
    } catch (err) {
      console.warn('audio frames not set', ms, err);
      // Never left holding a local offer the server has not seen: the next offer must start clean.
      if (pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      }
    }
  }

  async #negotiate(iceServers) {
    this.iceServers = iceServers;
    this.#closePeer();
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', iceTransportPolicy: this.iceTransportPolicy });
    this.#pc = pc;
    for (const kind of ['audio', 'video']) {
      const track = this.stream.getTracks().find((t) => t.kind === kind);
      if (track) pc.addTrack(track, this.stream);
      else pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    pc.addEventListener('track', (e) => {
      this.remoteStream = e.streams[0] || this.remoteStream || new MediaStream();
      if (!e.streams[0]) this.remoteStream.addTrack(e.track);
      this.dispatchEvent(new CustomEvent('remote-stream', { detail: this.remoteStream }));
    });
    pc.addEventListener('icecandidate', (e) => {
      const c = e.candidate;
      this.#signaling.send(c && c.candidate
        ? { type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex }
        : { type: 'candidate', candidate: null });
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc !== this.#pc) return;
      if (pc.connectionState === 'connected') this.#setState('connected');
      if (pc.connectionState === 'failed') this.#setState('reconnecting', 'media path failed');
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.#signaling.send({ type: 'offer', sdp: pc.localDescription.sdp });
  }

  #onSocketClosed({ code }) {
    if (this.#ended) return;
    this.#closePeer();
    const delay = backoffDelay(this.#attempt++);
    this.#setState('reconnecting', `connection lost (${code}); retrying in ${Math.round(delay / 100) / 10} s`);
    this.#retryTimer = setTimeout(() => this.#signaling.connect(this.wsUrl), delay);
  }

  #end(reason, detail) {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#retryTimer);
    this.#closePeer();
    this.#setState('ended', detail ? `${reason}: ${detail}` : reason);
  }

  #closePeer() {
    this.#earlyCandidates = [];
    if (this.#pc) {
      this.#pc.close();
      this.#pc = null;
    }
  }
}
