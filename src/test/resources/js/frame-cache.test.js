import { FrameCache } from '/static/frame-cache.js';
import { decodeFrame } from '/static/frame.js';
import { eq, test } from './assert.js';
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
