import { PollLoop, pollDelay } from '/static/poll-loop.js';
import { eq, fakeTimers, settle, test } from './assert.js';

test('2 s while active, 15 s idle, backing off to 30 s on failures', () => {
  eq(pollDelay(true, 0), 2000);
  eq(pollDelay(false, 0), 15000);
  eq(pollDelay(false, 1), 4000);
  eq(pollDelay(true, 2), 8000);
  eq(pollDelay(false, 4), 30000);
  eq(pollDelay(false, 9), 30000);
});

/** A document stand-in: its hidden flag and visibilitychange. */
function fakeDoc() {
  const listeners = [];
  return {
    hidden: false,
    addEventListener(type, fn) { if (type === 'visibilitychange') listeners.push(fn); },
    show(hidden) { this.hidden = hidden; listeners.forEach(fn => fn()); },
  };
}

test('one tick at once, the next after the delay its answer asks for; failures say so', async () => {
  const timers = fakeTimers();
  const doc = fakeDoc();
  const answers = [true, false, new Error('down'), false];
  const states = [];
  let ticks = 0;
  const loop = new PollLoop(async () => {
    const a = answers[ticks++];
    if (a instanceof Error) throw a;
    return a;
  }, { onState: s => states.push(s), timers, doc });
  await loop.start();
  eq(ticks, 1);
  timers.advance(1999);
  await settle();
  eq(ticks, 1);
  timers.advance(1);
  await settle();
  eq(ticks, 2, 'active: after 2 s');
  timers.advance(14999);
  await settle();
  eq(ticks, 2);
  timers.advance(1);
  await settle();
  eq(ticks, 3, 'idle: after 15 s');
  eq(states[states.length - 1], 'cannot reach the server (down)');
  timers.advance(4000);
  await settle();
  eq(ticks, 4, 'one failure: after 4 s');
  eq(states[states.length - 1], '');
});

test('a hidden page stops polling and polls at once when shown', async () => {
  const timers = fakeTimers();
  const doc = fakeDoc();
  let ticks = 0;
  const loop = new PollLoop(async () => { ticks++; return true; }, { timers, doc });
  await loop.start();
  doc.show(true);
  eq(timers.pending(), 0, 'no timer while hidden');
  timers.advance(60000);
  await settle();
  eq(ticks, 1);
  doc.show(false);
  await settle();
  eq(ticks, 2);
  eq(timers.pending(), 1);
});
