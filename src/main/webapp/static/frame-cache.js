// Heatmap frames of one run by kind and epoch: those the WebSocket brought, and the older ones fetched on demand.
import { decodeFrame } from './frame.js';

/** The cache's key of a (kind, epoch): one map holds every kind, so a rewind forgets them all in one pass. */
const key = (kind, epoch) => `${kind}:${epoch}`;

/**
 * Fetches and caches heatmap frames of one run by (kind, epoch), kind 'mean' unless given; concurrent requests for
 * the same frame share one fetch. A failed fetch rejects with an Error whose status is the HTTP status (404: the
 * run has no frame of that kind and epoch, as runs from before the kind was recorded).
 */
export class FrameCache {
  constructor(runId) {
    this.runId = runId;
    this.frames = new Map();
    this.pending = new Map();
  }

  /** The cached frame of an epoch (and kind), or undefined. */
  peek(epoch, kind = 'mean') {
    return this.frames.get(key(kind, epoch));
  }

  /** Forgets the frames of every kind of the epochs after this one (the run went back to a checkpoint). */
  forgetAfter(epoch) {
    for (const [k, f] of [...this.frames]) if (f.epoch > epoch) this.frames.delete(k);
  }

  put(frame) {
    this.frames.set(key(frame.kind || 'mean', frame.epoch), frame);
  }

  /** The address of a frame: the mean's without a query, so that servers from before the kinds answer it too. */
  url(epoch, kind = 'mean') {
    const base = `/api/runs/${encodeURIComponent(this.runId)}/heatmaps/${epoch}`;
    return kind === 'mean' ? base : `${base}?kind=${encodeURIComponent(kind)}`;
  }

  get(epoch, kind = 'mean') {
    const k = key(kind, epoch);
    if (this.frames.has(k)) return Promise.resolve(this.frames.get(k));
    if (this.pending.has(k)) return this.pending.get(k);
    const p = fetch(this.url(epoch, kind), { credentials: 'same-origin' })
      .then(async res => {
        if (!res.ok) {
          throw Object.assign(new Error(`${kind} heatmap of epoch ${epoch}: HTTP ${res.status}`),
            { status: res.status });
        }
        const frame = decodeFrame(await res.arrayBuffer());
        // a server from before the kinds ignores ?kind= and answers the mean: that is not a frame of this kind
        if (frame.kind !== kind) {
          throw Object.assign(new Error(`${kind} heatmap of epoch ${epoch}: the server sent a ${frame.kind} map`),
            { status: 404 });
        }
        this.frames.set(k, frame);
        return frame;
      })
      .finally(() => this.pending.delete(k));
    this.pending.set(k, p);
    return p;
  }
}
