// The page: pre-join screen (name, devices, preview) or, for an invite link
// /?room=<room>&name=<name>[&token=<jwt>][&relay=1], straight into the call with no clicks
// (relay=1: TURN-relayed candidates only).
import { Call } from './call.js';
import { listDevices, openMedia } from './media.js';
import { StatsReader } from './stats.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

async function obtainToken(room, name) {
  const given = params.get('token');
  if (given) return given;
  // Dev mode hands out tokens to the page itself (PROTOCOL.md section 4).
  const res = await fetch('/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ room, name }),
  });
  if (!res.ok) throw new Error('this server needs an invite link with a token');
  return (await res.json()).token;
}

function choiceFromParams() {
  return { originalSound: params.get('originalSound') === '1' || params.get('originalSound') === 'true' };
}

async function preJoin() {
  $('prejoin').hidden = false;
  $('room').value = params.get('room') || '';
  $('name').value = params.get('name') || localStorage.getItem('mcu.name') || '';
  let stream = await openMedia({});
  $('preview').srcObject = stream;
  const fill = async () => {
    const { cameras, microphones } = await listDevices();
    for (const [select, list] of [[$('camera'), cameras], [$('microphone'), microphones]]) {
      select.replaceChildren(...list.map((d, i) => new Option(d.label || `${d.kind} ${i + 1}`, d.deviceId)));
    }
  };
  await fill();
  const reopen = async () => {
    stream.getTracks().forEach((t) => t.stop());
    stream = await openMedia(currentChoice());
    $('preview').srcObject = stream;
  };
  const currentChoice = () => ({
    cameraId: $('camera').value, microphoneId: $('microphone').value, originalSound: $('original-sound').checked,
  });
  for (const id of ['camera', 'microphone', 'original-sound']) $(id).addEventListener('change', reopen);
  $('prejoin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const room = $('room').value.trim();
    const name = $('name').value.trim();
    if (!ROOM_PATTERN.test(room)) {
      $('prejoin-error').textContent = 'A room name uses letters, digits, - and _ only.';
      return;
    }
    localStorage.setItem('mcu.name', name);
    $('prejoin').hidden = true;
    history.replaceState(null, '', `/?room=${encodeURIComponent(room)}&name=${encodeURIComponent(name)}`);
    await enterCall(room, name, stream).catch(showFatal);
  });
}

function showFatal(error) {
  $('prejoin').hidden = false;
  $('call').hidden = true;
  $('prejoin-error').textContent = error.message || String(error);
}

async function enterCall(room, name, stream) {
  console.info('joining', room, 'as', name);
  const token = await obtainToken(room, name);
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const relayOnly = params.get('relay') === '1';
  const call = new Call({ wsUrl, token, name, room, stream, view: {}, relayOnly });
  window.mcu = { call }; // For automated tests and debugging from the console.
  $('call').hidden = false;
  wireControls(call);
  call.addEventListener('state', (e) => {
    const { state, detail } = e.detail;
    $('status').textContent = state === 'connected' ? '' : detail ? `${state}: ${detail}` : `${state}…`;
  });
  call.addEventListener('participants', () => renderParticipants(call));
  call.addEventListener('remote-stream', (e) => playMix(e.detail));
  call.addEventListener('view', (e) => {
    $('layout').value = e.detail.layout;
    const tier = $('tier');
    tier.hidden = !e.detail.tier;
    tier.textContent = e.detail.tier
      ? `Weak connection: receiving ${e.detail.maxWidth}x${e.detail.maxHeight} at ${e.detail.maxFps} fps` : '';
  });
  call.addEventListener('recording', (e) => {
    $('recording').hidden = !e.detail.active;
  });
  call.start();
  startStats(call);
}

function playMix(stream) {
  const video = $('mix');
  if (video.srcObject !== stream) video.srcObject = stream;
  video.play().catch(() => {
    // Autoplay with sound needs a gesture in most browsers: play muted and offer to unmute.
    video.muted = true;
    video.play().catch(() => {});
    const button = $('unmute-playback');
    button.hidden = false;
    button.onclick = () => { video.muted = false; button.hidden = true; };
  });
}

function wireControls(call) {
  const mic = $('toggle-mic');
  const cam = $('toggle-cam');
  const toggle = (button, kind, on, off) => {
    const muted = button.getAttribute('aria-pressed') !== 'true';
    call.setMuted(kind, muted);
    button.setAttribute('aria-pressed', String(muted));
    button.textContent = muted ? on : off;
  };
  mic.onclick = () => toggle(mic, 'audio', 'Unmute microphone', 'Mute microphone');
  cam.onclick = () => toggle(cam, 'video', 'Turn camera on', 'Turn camera off');
  $('layout').onchange = () => {
    const layout = $('layout').value;
    $('pin-label').hidden = layout !== 'presentation';
    call.setView({ layout, pin: layout === 'presentation' ? $('pin').value || undefined : undefined });
  };
  $('pin').onchange = () => call.setView({ layout: 'presentation', pin: $('pin').value });
  $('low-bandwidth').onchange = () => {
    const low = $('low-bandwidth').checked;
    call.setView(low ? { maxWidth: 320, maxHeight: 180, maxBitrateKbps: 150, maxFps: 15 }
      : { maxWidth: undefined, maxHeight: undefined, maxBitrateKbps: undefined, maxFps: undefined });
  };
  $('leave').onclick = () => {
    call.leave();
    $('status').textContent = 'You left the call.';
  };
}

function renderParticipants(call) {
  const items = [...call.participants.values()].map((p) => {
    const li = document.createElement('li');
    li.dataset.id = p.id;
    li.textContent = p.name;
    if (p.id === call.participantId) li.classList.add('self');
    if (p.id === call.activeSpeaker) li.classList.add('speaking');
    const muted = [p.audioMuted && 'mic off', p.videoMuted && 'camera off'].filter(Boolean).join(', ');
    if (muted) {
      const span = document.createElement('span');
      span.className = 'muted';
      span.textContent = muted;
      li.append(span);
    }
    return li;
  });
  $('participants').replaceChildren(...items);
  const pin = $('pin');
  const pinned = pin.value;
  pin.replaceChildren(...[...call.participants.values()].map((p) => new Option(p.name, p.id)));
  if (pinned) pin.value = pinned;
}

function startStats(call) {
  const reader = new StatsReader();
  setInterval(async () => {
    const pc = call.peerConnection;
    if (!pc) return;
    const s = await reader.read(pc);
    window.mcu.stats = s;
    const rows = [
      ['Inbound', s.bitrateKbps === null ? '–' : `${s.bitrateKbps} kbit/s`],
      ['Resolution', s.width ? `${s.width}×${s.height}` : '–'],
      ['Frame rate', s.fps === null ? '–' : `${s.fps} fps`],
      ['Round trip', s.rttMs === null ? '–' : `${s.rttMs} ms`],
      ['Packet loss', s.lossPercent === null ? '–' : `${s.lossPercent} %`],
    ];
    $('stats').replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }));
  }, 1000);
}

const room = params.get('room');
const name = params.get('name');
if (room && name && ROOM_PATTERN.test(room)) {
  openMedia(choiceFromParams()).then((stream) => enterCall(room, name, stream)).catch(showFatal);
} else {
  preJoin().catch(showFatal);
}
