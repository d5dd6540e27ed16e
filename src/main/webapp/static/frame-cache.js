// Heatmap frames of one run by epoch: those the WebSocket brought, and the older ones fetched on demand.
import { decodeFrame } from './frame.js';

/** Fetches and caches heatmap frames of one run by epoch; concurrent requests for an epoch share one fetch. */
export class FrameCache {
  constructor(runId) {
    this.runId = runId;
    this.frames = new Map();
    this.pending = new Map();
  }

  /** The cached frame of an epoch, or undefined. */
  peek(epoch) {
    return this.frames.get(epoch);
  }

  /** Forgets the frames of the epochs after this one (the run went back to a checkpoint). */
  forgetAfter(epoch) {
    for (const e of [...this.frames.keys()]) if (e > epoch) this.frames.delete(e);
  }

  put(frame) {
    this.frames.set(frame.epoch, frame);
  }

  get(epoch) {
    if (this.frames.has(epoch)) return Promise.resolve(this.frames.get(epoch));
    if (this.pending.has(epoch)) return this.pending.get(epoch);
    const p = fetch(`/api/runs/${encodeURIComponent(this.runId)}/heatmaps/${epoch}`, { credentials: 'same-origin' })
      .then(async res => {
        if (!res.ok) throw new Error(`heatmap of epoch ${epoch}: HTTP ${res.status}`);
        const frame = decodeFrame(await res.arrayBuffer());
        this.frames.set(epoch, frame);
        return frame;
      })
      .finally(() => this.pending.delete(epoch));
    this.pending.set(epoch, p);
    return p;
  }
}
