// The WebSocket of one run (/ws/runs/{id}): its state, then live events and heatmap frames. It reconnects with
// a growing wait while the run is active; a close code 4000 + HTTP status says the server could not read the run
// (4404: it is gone, and reconnecting would not help). The run and compare pages both use it.
import { decodeFrame } from './frame.js';

export function runSocketUrl(runId, where = location) {
  return `${where.protocol === 'https:' ? 'wss' : 'ws'}://${where.host}/ws/runs/${encodeURIComponent(runId)}`;
}

const FIRST_WAIT = 1000;
const LONGEST_WAIT = 30000;

export class LiveSocket {
  /**
   * url: the socket's address. Handlers: onMessage(parsed text frame), onFrame(decoded heatmap frame),
   * onStatus(kind, text) (kind: "connecting", "live" or "offline", also the dot's class), onNotice(text).
   * isActive(): whether the run is queued or running (a socket that closes then reconnects); refresh(): a
   * promise run before each reconnection, to catch up with the run (a rejection with status 404 means the run is
   * gone). WebSocketImpl and timers ({setTimeout, clearTimeout}) are for tests.
   */
  constructor(url, {
    onMessage = () => {}, onFrame = () => {}, onStatus = () => {}, onNotice = () => {}, isActive = () => false,
    refresh = () => Promise.resolve(), WebSocketImpl = globalThis.WebSocket, timers = globalThis,
  } = {}) {
    Object.assign(this, { url, onMessage, onFrame, onStatus, onNotice, isActive, refresh, WebSocketImpl, timers });
    this.ws = null;
    this.wait = FIRST_WAIT;
    this.timer = null;
    this.closedForGood = false;
  }

  get open() {
    return Boolean(this.ws && this.ws.readyState === this.WebSocketImpl.OPEN);
  }

  /** Connects unless a socket is open or opening, or the run is gone. */
  ensure() {
    if (this.closedForGood) return;
    const state = this.ws ? this.ws.readyState : -1;
    if (state === this.WebSocketImpl.OPEN || state === this.WebSocketImpl.CONNECTING) return;
    this.timers.clearTimeout(this.timer);
    this.connect();
  }

  /** Closes the socket for good (the run was deleted, the page is leaving). */
  close() {
    this.closedForGood = true;
    this.timers.clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close();
  }

  /** Says again whether the open socket is live (the run trains) or only connected. */
  announce() {
    if (this.open) this.onStatus('live', this.isActive() ? 'live' : 'connected');
  }

  connect() {
    let ws;
    try {
      ws = new this.WebSocketImpl(this.url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.onStatus('connecting', 'connecting…');
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.wait = FIRST_WAIT;
      this.announce();
    });
    ws.addEventListener('message', e => {
      if (this.ws === ws) this.receive(e.data);
    });
    ws.addEventListener('close', e => this.closed(ws, e));
  }

  receive(data) {
    if (typeof data === 'string') {
      let msg;
      try {
        msg = JSON.parse(data);
      } catch (e) {
        return;
      }
      this.onMessage(msg);
      return;
    }
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (err) {
      console.warn('bad heatmap frame', err);
      return;
    }
    this.onFrame(frame);
  }

  closed(ws, e) {
    if (this.ws !== ws) return;
    this.ws = null;
    if (e.code >= 4000 && e.code < 5000) {
      // the server could not read the run (4404: deleted): reconnecting would not help
      this.closedForGood = e.code === 4404;
      this.onStatus('offline', e.code === 4404 ? 'run gone' : 'offline');
      if (e.reason) this.onNotice(e.reason);
      if (!this.closedForGood) this.scheduleReconnect();
      return;
    }
    if (this.isActive()) this.scheduleReconnect();
    else this.onStatus('offline', 'not live (run finished)');
  }

  scheduleReconnect() {
    this.timers.clearTimeout(this.timer);
    const wait = this.wait;
    this.wait = Math.min(LONGEST_WAIT, this.wait * 2);
    this.onStatus('connecting', `reconnecting in ${Math.round(wait / 1000)} s…`);
    this.timer = this.timers.setTimeout(async () => {
      // the run may have ended while we were away: catch up first
      try {
        await this.refresh();
      } catch (e) {
        if (e && e.status === 404) {
          this.closedForGood = true;
          this.onStatus('offline', 'run gone');
          this.onNotice('This run no longer exists.');
          return;
        }
      }
      // refresh may have reconnected already (a page that finds its run active ensures its socket)
      this.ensure();
    }, wait);
  }
}
