import { FrameCache } from '/static/frame-cache.js';
import { decodeFrame } from '/static/frame.js';
import { deepEq, eq, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

test('frames from the socket are served from the cache; a rewind forgets the later ones', async () => {
  const cache = new FrameCache('abc');
  for (const epoch of [0, 1, 2, 3]) cache.put(decodeFrame(encodeFrame({ epoch })));
  eq((await cache.get(2)).epoch, 2);
  cache.forgetAfter(1);
  eq(cache.peek(1).epoch, 1);
  eq(cache.peek(2), undefined);
  eq(cache.peek(3), undefined);
});

/** Runs fn with fetch answering from answer(url) (a Response), and the addresses asked for. */
async function withFetch(answer, fn) {
  const real = globalThis.fetch;
  const asked = [];
  globalThis.fetch = async url => {
    asked.push(url);
    return answer(url);
  };
  try {
    await fn(asked);
  } finally {
    globalThis.fetch = real;
  }
}

const frameResponse = options => new Response(encodeFrame(options), { status: 200 });

test('frames are kept per kind and epoch; a rewind forgets every kind', () => {
  const cache = new FrameCache('abc');
  cache.put(decodeFrame(encodeFrame({ epoch: 2 })));
  cache.put(decodeFrame(encodeFrame({ version: 3, kind: 'contrast', epoch: 2, min: -5 })));
  cache.put(decodeFrame(encodeFrame({ version: 3, kind: 'weights', classes: 1, epoch: 3 })));
  eq(cache.peek(2).kind, 'mean', 'the mean unless told');
  eq(cache.peek(2, 'contrast').min, -5);
  eq(cache.peek(2, 'std'), undefined);
  eq(cache.peek(3, 'weights').classes, 1);
  cache.forgetAfter(2);
  eq(cache.peek(3, 'weights'), undefined);
  eq(cache.peek(2, 'contrast').kind, 'contrast');
});

test('a kind other than the mean is fetched with ?kind=, the mean as before', async () => {
  await withFetch(url => (url.includes('kind=std')
    ? frameResponse({ version: 3, kind: 'std', epoch: 1 }) : frameResponse({ epoch: 1 })), async asked => {
    const cache = new FrameCache('a b');
    const [std, again] = await Promise.all([cache.get(1, 'std'), cache.get(1, 'std')]);
    eq(std.kind, 'std');
    eq(again, std, 'concurrent requests share one fetch');
    eq((await cache.get(1)).kind, 'mean');
    deepEq(asked, ['/api/runs/a%20b/heatmaps/1?kind=std', '/api/runs/a%20b/heatmaps/1']);
    eq(cache.peek(1, 'std'), std);
  });
});

test('a kind the run lacks rejects with status 404, also where an old server answers the mean', async () => {
  await withFetch(url => (url.includes('kind=contrast') ? new Response('no such map', { status: 404 })
    : frameResponse({ epoch: 0 })), async () => {
    const cache = new FrameCache('abc');
    let error = await cache.get(0, 'contrast').then(() => null, e => e);
    eq(error && error.status, 404);
    error = await cache.get(0, 'biases').then(() => null, e => e);
    eq(error && error.status, 404, 'a mean frame is no frame of the biases');
    eq(cache.peek(0, 'biases'), undefined);
    ok(/the server sent a mean map/.test(error.message), error.message);
  });
});
