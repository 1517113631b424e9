// The admin dashboard: rooms with their participants, workers with their load, and the actions of
// PROTOCOL.md section 2, through the same REST API any admin tool uses.
const $ = (id) => document.getElementById(id);
let key = sessionStorage.getItem('mcu.adminKey') || '';

async function api(method, path, body) {
  const res = await fetch(`/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch { /* not a problem document */ }
    throw new Error(`${method} ${path}: ${res.status} ${detail}`);
  }
  return res.status === 204 ? null : res.json();
}

function say(text) {
  $('message').textContent = text;
}

function el(tag, props = {}, ...children) {
  const { dataset, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  Object.assign(e.dataset, dataset || {});
  e.append(...children);
  return e;
}

function action(label, run, danger = false) {
  return el('button', {
    type: 'button', className: danger ? 'danger' : '', textContent: label,
    onclick: () => run().then(refresh).catch((e) => say(e.message)),
  });
}

async function refresh() {
  const [{ rooms }, { workers }] = await Promise.all([api('GET', '/rooms'), api('GET', '/workers')]);
  const rows = await Promise.all(rooms.map(async (room) => {
    const { participants } = await api('GET', `/rooms/${room.id}/participants`);
    return roomRow(room, participants);
  }));
  $('rooms').tBodies[0].replaceChildren(...rows);
  $('workers').tBodies[0].replaceChildren(...workers.map(workerRow));
}

function roomRow(room, participants) {
  const layout = el('select', { className: 'layout' },
    ...['grid', 'speaker', 'presentation'].map((l) => new Option(l, l, false, l === room.layout)));
  layout.onchange = () => api('PATCH', `/rooms/${room.id}`, { layout: layout.value }).then(refresh)
    .catch((e) => say(e.message));
  const people = el('ul', {}, ...participants.map((p) => el('li', { dataset: { id: p.id } },
    el('span', { className: 'name', textContent: p.name }),
    el('span', { className: 'muted', textContent: [p.audioMuted && 'mic off', p.videoMuted && 'camera off']
      .filter(Boolean).join(', ') }),
    action(p.audioMuted ? 'Unmute audio' : 'Mute audio',
      () => api('POST', `/rooms/${room.id}/participants/${p.id}/mute`, { audio: !p.audioMuted })),
    action(p.videoMuted ? 'Unmute video' : 'Mute video',
      () => api('POST', `/rooms/${room.id}/participants/${p.id}/mute`, { video: !p.videoMuted })),
    action('Kick', () => api('DELETE', `/rooms/${room.id}/participants/${p.id}`), true))));
  return el('tr', { dataset: { room: room.id } },
    el('td', { textContent: room.id }),
    el('td', { textContent: room.name }),
    el('td', {}, layout),
    el('td', {}, `${room.participantCount} / ${room.maxParticipants}`, people),
    el('td', { textContent: room.workerId || '–' }),
    el('td', {},
      action('Invite link', () => invite(room.id)),
      action('Delete', () => api('DELETE', `/rooms/${room.id}`), true)));
}

async function invite(room) {
  const guest = `guest-${Math.random().toString(36).slice(2, 8)}`;
  const { joinUrl } = await api('POST', `/rooms/${room}/tokens`, { identity: guest });
  const url = new URL(joinUrl, location.origin).href;
  $('invite').textContent = url;
  try {
    await navigator.clipboard.writeText(url);
    say(`Invite link for ${room} copied.`);
  } catch {
    say(`Invite link for ${room} below (copy it).`);
  }
}

function workerRow(w) {
  const pct = Math.round(w.load * 100);
  return el('tr', { dataset: { worker: w.id } },
    el('td', { textContent: w.id }),
    el('td', { className: `state-${w.state}`, textContent: w.state }),
    el('td', { textContent: w.rooms }),
    el('td', { textContent: w.participants }),
    el('td', {}, el('span', { className: 'load', title: `${pct} %` }, el('span', { style: `width:${pct}%` })),
      ` ${pct} %`),
    el('td', { textContent: new Date(w.lastSeenMs).toLocaleTimeString() }),
    el('td', {}, w.state === 'ready' ? action('Drain', () => api('POST', `/workers/${w.id}/drain`), true) : ''));
}

async function start() {
  try {
    await refresh();
    say('');
    $('dashboard').hidden = false;
    sessionStorage.setItem('mcu.adminKey', key);
  } catch (e) {
    $('dashboard').hidden = true;
    say(e.message);
  }
}

$('admin-key').value = key;
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  key = $('admin-key').value.trim();
  start();
});
$('create-room').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = { layout: $('new-layout').value };
  if ($('new-id').value) body.id = $('new-id').value.trim();
  if ($('new-name').value) body.name = $('new-name').value.trim();
  if ($('new-max').value) body.maxParticipants = Number($('new-max').value);
  api('POST', '/rooms', body).then(() => { e.target.reset(); return refresh(); }).catch((err) => say(err.message));
});
setInterval(() => { if (!$('dashboard').hidden) refresh().catch((e) => say(e.message)); }, 2000);
if (key) start();
