// Connection figures from getStats: what the user sees under "Connection".
export class StatsReader {
  #last = null;

  async read(pc) {
    const report = await pc.getStats();
    const out = { bitrateKbps: null, width: null, height: null, fps: null, rttMs: null, lossPercent: null };
    let bytes = 0;
    let received = 0;
    let lost = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        bytes += s.bytesReceived || 0;
        received += s.packetsReceived || 0;
        lost += s.packetsLost || 0;
        if (s.kind === 'video') {
          out.width = s.frameWidth ?? null;
          out.height = s.frameHeight ?? null;
          out.fps = s.framesPerSecond ?? null;
        }
      } else if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
        out.rttMs = Math.round(s.currentRoundTripTime * 1000);
      }
    });
    const now = performance.now();
    if (this.#last) {
      const seconds = (now - this.#last.at) / 1000;
      out.bitrateKbps = Math.max(0, Math.round(((bytes - this.#last.bytes) * 8) / 1000 / seconds));
      const newReceived = received - this.#last.received;
      const newLost = lost - this.#last.lost;
      out.lossPercent = newReceived + newLost > 0 ? Math.round((1000 * newLost) / (newReceived + newLost)) / 10 : 0;
    }
    this.#last = { at: now, bytes, received, lost };
    return out;
  }
}
