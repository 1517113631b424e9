// One WebSocket to /ws speaking PROTOCOL.md section 1: JSON text frames with a `type`.
const PING_INTERVAL_MS = 20000;

export class Signaling extends EventTarget {
  #ws = null;
  #ping = null;

  connect(url) {
    this.close();
    const ws = new WebSocket(url);
    this.#ws = ws;
    ws.addEventListener('open', () => {
      this.#ping = setInterval(() => this.send({ type: 'ping' }), PING_INTERVAL_MS);
      this.dispatchEvent(new Event('open'));
    });
    ws.addEventListener('message', (e) => {
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        console.warn('signaling: not JSON', e.data);
        return;
      }
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
    });
    ws.addEventListener('close', (e) => {
      if (this.#ws !== ws) return; // An older socket we replaced.
      clearInterval(this.#ping);
      this.#ws = null;
      this.dispatchEvent(new CustomEvent('close', { detail: { code: e.code, reason: e.reason } }));
    });
  }

  send(message) {
    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  close() {
    clearInterval(this.#ping);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.close(1000, 'bye');
  }
}
