// A play/pause button that steps through positions on a timer: the run page's epoch animation and layer sweep,
// and the comparison page's epoch animation.

export class Player {
  /**
   * button: the play/pause button (▶ while stopped, ❚❚ while playing, with the matching aria-label).
   * startAt(): the first position, or null when there is nothing to play; last(): the last position (asked at
   * every step: it may grow while playing); show(i): shows a position (may return a promise: the next step waits
   * for it); delay(last): milliseconds per step; onEnd(): after the last position was shown.
   */
  constructor(button, {
    playLabel = 'play', pauseLabel = 'pause', startAt, last, show, delay = () => 300, onEnd = () => {},
    timers = globalThis,
  }) {
    Object.assign(this, { button, playLabel, pauseLabel, startAt, last, show, delay, onEnd, timers });
    this.playing = false;
    this.timer = null;
    this.round = 0;
    this.setButton(false);
  }

  /** Binds the button: a click plays or pauses. */
  bind() {
    this.button.addEventListener('click', () => this.toggle());
    return this;
  }

  toggle() {
    if (this.playing) this.stop();
    else this.play();
  }

  play() {
    const first = this.startAt();
    if (first === null || first === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.playing = true;
    this.setButton(true);
    const round = ++this.round;
    const delay = this.delay(this.last());
    let i = first;
    const step = async () => {
      if (round !== this.round) return;
      try {
        await this.show(i);
      } catch (e) {
        // a position that cannot be shown is skipped
      }
      if (round !== this.round) return;
      if (i >= this.last()) {
        this.stop();
        this.onEnd();
        return;
      }
      i++;
      this.timer = this.timers.setTimeout(step, delay);
    };
    step();
  }

  stop() {
    this.round++;
    this.playing = false;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.setButton(false);
  }

  setButton(playing) {
    this.button.textContent = playing ? '❚❚' : '▶';
    this.button.setAttribute('aria-label', playing ? this.pauseLabel : this.playLabel);
  }
}
