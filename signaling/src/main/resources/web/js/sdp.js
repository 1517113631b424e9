// SDP edits the client makes to a description it already holds.

// The description with its audio sections' a=ptime set to ms, or removed for 20 (the default):
// the microphone's Opus encoder takes its frame length from the remote description.
export function withPtime(sdp, ms) {
  const lines = sdp.split('\r\n');
  const out = [];
  let audio = false;
  const closeSection = () => {
    if (audio && ms !== 20) out.push(`a=ptime:${ms}`);
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      closeSection();
      audio = line.startsWith('m=audio');
    }
    if (line === '' || (audio && line.startsWith('a=ptime:'))) continue;
    out.push(line);
  }
  closeSection();
  return out.join('\r\n') + '\r\n';
}

// The frame length a description asks of the audio: its first a=ptime, or 20 without one.
export function ptimeOf(sdp) {
  const m = /\r?\na=ptime:(\d+)/.exec(sdp);
  return m ? Number(m[1]) : 20;
}
