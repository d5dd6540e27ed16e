// Polling as the runs table does it (runs-table.js), for a page that follows one thing over plain GETs: fast while
// it is live and the tab is seen, slow otherwise, slower after each failure, and only the latest answer counts.

/**
 * Milliseconds to the next request: after failures 2 s doubling per failure up to 30 s, else activeMs while the
 * thing is active and the page visible, else idleMs.
 */
export function pollDelay({ active, visible, failures }, { activeMs = 1500, idleMs = 10000 } = {}) {
  if (failures > 0) return Math.min(30000, 2000 * 2 ** Math.min(failures, 4));
  return active && visible ? activeMs : idleMs;
}

/**
 * Calls fn() now and then again after each answer (pollDelay). onAnswer(answer) gets each answer of the latest
 * request (an earlier request's answer arriving later is dropped); onError(error, failures) each failure of it;
 * a failure that stopOn(error) names (say a 404: the thing is gone) ends the polling. isActive() and isVisible()
 * are asked at each scheduling. timers: {setTimeout, clearTimeout}, for tests.
 */
export class Poller {
  constructor(fn, {
    isActive = () => false, isVisible = () => !document.hidden, onAnswer = () => {}, onError = () => {},
    stopOn = () => false, activeMs = 1500, idleMs = 10000, timers = globalThis,
  } = {}) {
    Object.assign(this, { fn, isActive, isVisible, onAnswer, onError, stopOn, activeMs, idleMs, timers });
    this.timer = null;
    this.sequence = 0;
    this.failures = 0;
    this.stopped = false;
  }

  /** Asks at once (the first time, when the tab comes back, after an action), replacing what was scheduled. */
  async poll() {
    if (this.stopped) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    const ticket = ++this.sequence;
    let answer;
    try {
      answer = await this.fn();
    } catch (e) {
      if (ticket !== this.sequence) return;
      this.failures++;
      this.onError(e, this.failures);
      if (this.stopOn(e)) this.stop();
      else this.schedule();
      return;
    }
    if (ticket !== this.sequence) return;
    this.failures = 0;
    this.onAnswer(answer);
    this.schedule();
  }

  schedule() {
    if (this.stopped) return;
    this.timers.clearTimeout(this.timer);
    const delay = pollDelay({ active: this.isActive(), visible: this.isVisible(), failures: this.failures },
      { activeMs: this.activeMs, idleMs: this.idleMs });
    this.timer = this.timers.setTimeout(() => this.poll(), delay);
  }

  /** No more requests; an answer still to come is dropped. */
  stop() {
    this.stopped = true;
    this.sequence++;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
