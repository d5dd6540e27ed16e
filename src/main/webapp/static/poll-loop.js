// The runs page's one polling timer: the runs table and the sweeps list are asked for together, so that they never
// disagree for long and the server sees one rhythm. Every 2 s while something is active, every 15 s otherwise,
// backing off to 30 s while the server cannot be reached, paused while the page is hidden.

/** The pause before the next poll: short while something trains, longer when idle, growing with failures. */
export function pollDelay(active, failures) {
  if (failures > 0) return Math.min(30000, 2000 * 2 ** Math.min(failures, 4));
  return active ? 2000 : 15000;
}

export class PollLoop {
  /**
   * tick(): a promise of whether anything is active (a rejection is a failed poll); onState(text): what the page
   * says about the connection ("" when fine). timers ({setTimeout, clearTimeout}) and doc (its hidden flag and
   * visibilitychange) are the page's unless a test gives others.
   */
  constructor(tick, { onState = () => {}, timers = globalThis, doc = globalThis.document } = {}) {
    this.tick = tick;
    this.onState = onState;
    this.timers = timers;
    this.doc = doc;
    this.timer = null;
    this.failures = 0;
    this.active = false;
  }

  /** Polls now and keeps polling; a hidden page stops, and polls at once when shown again. */
  start() {
    this.doc.addEventListener('visibilitychange', () => {
      if (!this.doc.hidden) this.poll();
      else this.timers.clearTimeout(this.timer);
    });
    return this.poll();
  }

  async poll() {
    this.timers.clearTimeout(this.timer);
    try {
      this.active = Boolean(await this.tick());
      this.failures = 0;
      this.onState('');
    } catch (e) {
      this.failures++;
      this.onState(`cannot reach the server (${e && e.message})`);
    }
    this.schedule();
  }

  schedule() {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.doc.hidden) return;
    this.timer = this.timers.setTimeout(() => this.poll(), pollDelay(this.active, this.failures));
  }
}
