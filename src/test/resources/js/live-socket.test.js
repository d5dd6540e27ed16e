import { LiveSocket, runSocketUrl } from '/static/live-socket.js';
import { deepEq, eq, fakeTimers, settle, test } from './assert.js';
import { encodeFrame } from './frames.js';

/** A WebSocket the test drives: open(), text(), binary(), close(code, reason). */
class FakeSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static made = [];

  constructor(url) {
    super();
    this.url = url;
    this.readyState = FakeSocket.CONNECTING;
    FakeSocket.made.push(this);
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  text(data) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  close(code = 1000, reason = '') {
    this.readyState = FakeSocket.CLOSED;
    const e = new Event('close');
    Object.assign(e, { code, reason });
    this.dispatchEvent(e);
  }
}

function setUp({ active = true, refresh = () => Promise.resolve() } = {}) {
  FakeSocket.made = [];
  const timers = fakeTimers();
  const log = { messages: [], frames: [], statuses: [], notices: [] };
  const state = { active };
  const socket = new LiveSocket('ws://here/ws/runs/abc', {
    onMessage: m => log.messages.push(m), onFrame: f => log.frames.push(f.epoch),
    onStatus: (kind, text) => log.statuses.push(`${kind}: ${text}`), onNotice: t => log.notices.push(t),
    isActive: () => state.active, refresh, WebSocketImpl: FakeSocket, timers,
  });
  return { socket, timers, log, state };
}

test('the address of a run\'s socket', () => {
  eq(runSocketUrl('a b', { protocol: 'http:', host: 'h:1' }), 'ws://h:1/ws/runs/a%20b');
  eq(runSocketUrl('x', { protocol: 'https:', host: 'h' }), 'wss://h/ws/runs/x');
});

test('text frames are parsed, binary frames decoded, garbage dropped', () => {
  const { socket, log } = setUp();
  socket.connect();
  const ws = FakeSocket.made[0];
  eq(ws.binaryType, 'arraybuffer');
  ws.open();
  ws.text('{"type":"epoch","epoch":2}');
  ws.text('not json');
  ws.dispatchEvent(new MessageEvent('message', { data: encodeFrame({ epoch: 5 }) }));
  deepEq(log.messages, [{ type: 'epoch', epoch: 2 }]);
  deepEq(log.frames, [5]);
  deepEq(log.statuses, ['connecting: connecting…', 'live: live']);
});

test('an active run\'s socket reconnects after a catch-up, waiting longer each time', async () => {
  let refreshes = 0;
  const { socket, timers, log } = setUp({ refresh: async () => { refreshes++; } });
  socket.connect();
  FakeSocket.made[0].close(1006);
  eq(log.statuses.at(-1), 'connecting: reconnecting in 1 s…');
  timers.advance(999);
  eq(FakeSocket.made.length, 1);
  timers.advance(1);
  await settle();
  eq(refreshes, 1);
  eq(FakeSocket.made.length, 2);
  FakeSocket.made[1].close(1006);
  eq(log.statuses.at(-1), 'connecting: reconnecting in 2 s…');
  timers.advance(2000);
  await settle();
  FakeSocket.made[2].open();
  FakeSocket.made[2].close(1006);
  eq(log.statuses.at(-1), 'connecting: reconnecting in 1 s…', 'an open socket starts the waits over');
});

test('a socket the catch-up already reopened is not opened twice', async () => {
  const box = {};
  const { socket, timers } = setUp({ refresh: async () => { box.socket.ensure(); } });
  box.socket = socket;
  socket.connect();
  FakeSocket.made[0].close(1006);
  timers.advance(1000);
  await settle();
  eq(FakeSocket.made.length, 2);
  socket.ensure();
  eq(FakeSocket.made.length, 2);
});

test('a finished run\'s socket stays closed; an open one says connected', () => {
  const { socket, log, state } = setUp({ active: false });
  socket.connect();
  FakeSocket.made[0].open();
  eq(log.statuses.at(-1), 'live: connected');
  state.active = true;
  socket.announce();
  eq(log.statuses.at(-1), 'live: live');
  state.active = false;
  FakeSocket.made[0].close(1000);
  eq(log.statuses.at(-1), 'offline: not live (run finished)');
});

test('4404: the run is gone, for good; other 4xxx codes retry', () => {
  const { socket, timers, log } = setUp();
  socket.connect();
  FakeSocket.made[0].close(4503, 'training side busy');
  deepEq(log.notices, ['training side busy']);
  eq(log.statuses.at(-1), 'connecting: reconnecting in 1 s…');
  timers.advance(1000);
  return settle().then(() => {
    FakeSocket.made[1].close(4404, 'there is no run');
    eq(log.statuses.at(-1), 'offline: run gone');
    eq(timers.pending(), 0);
    socket.ensure();
    eq(FakeSocket.made.length, 2);
  });
});

test('a catch-up that finds the run deleted stops reconnecting', async () => {
  const gone = Object.assign(new Error('gone'), { status: 404 });
  const { socket, timers, log } = setUp({ refresh: () => Promise.reject(gone) });
  socket.connect();
  FakeSocket.made[0].close(1006);
  timers.advance(1000);
  await settle();
  eq(FakeSocket.made.length, 1);
  eq(log.statuses.at(-1), 'offline: run gone');
  deepEq(log.notices, ['This run no longer exists.']);
});

test('close() ends it for good and ignores the late close event', () => {
  const { socket, log } = setUp();
  socket.connect();
  const ws = FakeSocket.made[0];
  ws.open();
  const before = log.statuses.length;
  ws.close = () => FakeSocket.prototype.close.call(ws, 1000);
  socket.close();
  eq(log.statuses.length, before);
  socket.ensure();
  eq(FakeSocket.made.length, 1);
});
