// A debounced asynchronous call whose latest answer wins: what the form's estimate asks the server while the
// user types.

/**
 * Calls fn(arg) once the requests have paused for delayMs; when calls overlap, only the answer to the latest
 * request reaches onAnswer (an earlier answer arriving later is dropped), and a failure of the latest reaches
 * onError. timers: {setTimeout, clearTimeout}, for tests.
 */
export class LatestCall {
  constructor(fn, { delayMs = 250, onAnswer = () => {}, onError = () => {}, timers = globalThis } = {}) {
    this.fn = fn;
    this.delayMs = delayMs;
    this.onAnswer = onAnswer;
    this.onError = onError;
    this.timers = timers;
    this.timer = null;
    this.sequence = 0;
  }

  /** Asks again after the pause (or at once with now = true); any request still waiting is replaced. */
  request(arg, now = false) {
    const ticket = ++this.sequence;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    const send = () => {
      this.timer = null;
      Promise.resolve()
        .then(() => this.fn(arg))
        .then(answer => { if (ticket === this.sequence) this.onAnswer(answer); },
          error => { if (ticket === this.sequence) this.onError(error); });
    };
    if (now) send();
    else this.timer = this.timers.setTimeout(send, this.delayMs);
  }

  /** Drops the waiting request and any answer still to come. */
  cancel() {
    this.sequence++;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
