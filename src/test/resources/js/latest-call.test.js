import { LatestCall } from '/static/latest-call.js';
import { deepEq, eq, fakeTimers, settle, test } from './assert.js';

test('requests while typing are sent once, after the pause', async () => {
  const timers = fakeTimers();
  const sent = [];
  const answers = [];
  const call = new LatestCall(x => { sent.push(x); return x * 10; },
    { delayMs: 250, timers, onAnswer: a => answers.push(a) });
  call.request(1);
  timers.advance(100);
  call.request(2);
  timers.advance(100);
  call.request(3);
  timers.advance(249);
  deepEq(sent, []);
  timers.advance(1);
  await settle();
  deepEq(sent, [3]);
  deepEq(answers, [30]);
});

test('the latest answer wins, however the answers arrive', async () => {
  const resolvers = [];
  const answers = [];
  const call = new LatestCall(x => new Promise(resolve => resolvers.push(() => resolve(x))),
    { onAnswer: a => answers.push(a) });
  call.request('old', true);
  call.request('new', true);
  await settle();
  eq(resolvers.length, 2);
  resolvers[1]();
  await settle();
  resolvers[0]();
  await settle();
  deepEq(answers, ['new']);
});

test('only the latest failure is reported; cancel drops what is to come', async () => {
  const errors = [];
  const answers = [];
  let fail = true;
  const call = new LatestCall(() => (fail ? Promise.reject(new Error('down')) : 'up'),
    { onAnswer: a => answers.push(a), onError: e => errors.push(e.message) });
  call.request(null, true);
  await settle();
  deepEq(errors, ['down']);
  fail = false;
  call.request(null, true);
  call.cancel();
  await settle();
  deepEq(answers, []);
});
