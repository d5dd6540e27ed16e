import { Player } from '/static/player.js';
import { deepEq, eq, fakeTimers, settle, test } from './assert.js';

function setUp(options = {}) {
  const button = document.createElement('button');
  document.getElementById('fixture').append(button);
  const timers = fakeTimers();
  const shown = [];
  let ended = 0;
  const player = new Player(button, {
    startAt: () => 0, last: () => 3, show: i => { shown.push(i); }, delay: () => 100, onEnd: () => { ended++; },
    timers, ...options,
  }).bind();
  return { button, timers, shown, player, ended: () => ended };
}

async function tick(timers, ms) {
  await settle();
  timers.advance(ms);
  await settle();
}

test('a click plays every position, then the button says play again', async () => {
  const { button, timers, shown, player, ended } = setUp();
  eq(button.textContent, '▶');
  eq(button.getAttribute('aria-label'), 'play');
  button.click();
  eq(player.playing, true);
  eq(button.textContent, '❚❚');
  eq(button.getAttribute('aria-label'), 'pause');
  for (let i = 0; i < 4; i++) await tick(timers, 100);
  deepEq(shown, [0, 1, 2, 3]);
  eq(player.playing, false);
  eq(button.getAttribute('aria-label'), 'play');
  eq(ended(), 1);
  eq(timers.pending(), 0);
});

test('a second click pauses; nothing more is shown', async () => {
  const { button, timers, shown, player, ended } = setUp();
  button.click();
  await tick(timers, 100);
  button.click();
  eq(player.playing, false);
  await tick(timers, 1000);
  deepEq(shown, [0, 1]);
  eq(ended(), 0);
});

test('nothing to play: the button stays as it is', () => {
  const { button, shown, player } = setUp({ startAt: () => null });
  button.click();
  eq(player.playing, false);
  eq(button.getAttribute('aria-label'), 'play');
  deepEq(shown, []);
});

test('labels of its own, a growing end, a slow step and a failing one', async () => {
  let last = 1;
  const { button, timers, shown } = setUp({
    playLabel: 'sweep the layers', pauseLabel: 'stop the sweep', last: () => last,
    show: i => {
      shown.push(i);
      if (i === 1) throw new Error('no frame');
      return new Promise(resolve => setTimeout(resolve, 5));
    },
  });
  eq(button.getAttribute('aria-label'), 'sweep the layers');
  button.click();
  eq(button.getAttribute('aria-label'), 'stop the sweep');
  last = 2;
  await new Promise(resolve => setTimeout(resolve, 20));
  await tick(timers, 100);
  await new Promise(resolve => setTimeout(resolve, 20));
  await tick(timers, 100);
  await new Promise(resolve => setTimeout(resolve, 20));
  deepEq(shown, [0, 1, 2]);
  eq(button.getAttribute('aria-label'), 'sweep the layers');
});
