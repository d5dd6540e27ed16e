import { Poller, pollDelay } from '/static/poller.js';
import { deepEq, eq, fakeTimers, settle, test } from './assert.js';

test('fast while active and seen, slow otherwise, slower after failures', () => {
  eq(pollDelay({ active: true, visible: true, failures: 0 }), 1500);
  eq(pollDelay({ active: true, visible: false, failures: 0 }), 10000);
  eq(pollDelay({ active: false, visible: true, failures: 0 }), 10000);
  eq(pollDelay({ active: true, visible: true, failures: 1 }), 4000);
  eq(pollDelay({ active: true, visible: true, failures: 9 }), 30000);
  eq(pollDelay({ active: true, visible: true, failures: 0 }, { activeMs: 10 }), 10);
});

test('polls again after each answer at the pace of the state', async () => {
  const timers = fakeTimers();
  let active = true;
  let n = 0;
  const answers = [];
  const poller = new Poller(async () => ++n, { timers, isActive: () => active, isVisible: () => true,
    onAnswer: a => answers.push(a) });
  await poller.poll();
  deepEq(answers, [1]);
  timers.advance(1499);
  await settle();
  deepEq(answers, [1]);
  timers.advance(1);
  await settle();
  deepEq(answers, [1, 2]);
  active = false;
  timers.advance(1500);
  await settle();
  deepEq(answers, [1, 2, 3], 'the delay was chosen when the answer came');
  timers.advance(9999);
  await settle();
  deepEq(answers, [1, 2, 3]);
  timers.advance(1);
  await settle();
  deepEq(answers, [1, 2, 3, 4]);
  poller.stop();
  eq(timers.pending(), 0);
});

test('failures are counted and reported; a stopping failure ends the polling', async () => {
  const timers = fakeTimers();
  const errors = [];
  let status = 503;
  const poller = new Poller(async () => { throw Object.assign(new Error('down'), { status }); }, {
    timers, isActive: () => true, isVisible: () => true, onError: (e, n) => errors.push([e.status, n]),
    stopOn: e => e.status === 404,
  });
  await poller.poll();
  timers.advance(4000);
  await settle();
  deepEq(errors, [[503, 1], [503, 2]]);
  status = 404;
  timers.advance(8000);
  await settle();
  deepEq(errors, [[503, 1], [503, 2], [404, 3]]);
  eq(timers.pending(), 0, 'no more requests');
  await poller.poll();
  eq(errors.length, 3);
});

test('asking at once replaces the scheduled request, and only the latest answer counts', async () => {
  const timers = fakeTimers();
  const resolvers = [];
  const answers = [];
  const poller = new Poller(() => new Promise(resolve => resolvers.push(resolve)), { timers,
    isActive: () => true, isVisible: () => true, onAnswer: a => answers.push(a) });
  const first = poller.poll();
  const second = poller.poll();
  resolvers[1]('new');
  await second;
  resolvers[0]('old');
  await first;
  deepEq(answers, ['new']);
  eq(timers.pending(), 1, 'one request scheduled');
  poller.stop();
});
