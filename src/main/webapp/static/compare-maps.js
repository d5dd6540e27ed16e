// The comparison page's heatmaps: a row of class maps per run at the newest epoch every run has maps for (or the
// one the slider picks), one layer slider for the 3D runs, a colour map (diverging or viridis) over a range per run
// or shared, and the animation.
import { el } from './common.js';
import { colourMap, defaultColourMap } from './colours.js';
import { isSheetFrame } from './frame.js';
import { HeatmapSet, createLegend } from './heatmap.js';
import { Player } from './player.js';

const $ = id => document.getElementById(id);

export class CompareMaps {
  /**
   * runs: [{id, color, frames (a FrameCache), newestMaps, summary}]; nameOf(run) and gridTypeOf(run) ('2d', '3d' or
   * null while unknown) read a run's summary.
   */
  constructor(runs, classNames, { nameOf, gridTypeOf }) {
    this.runs = runs;
    this.colourSelect = $('colour-scale');
    this.colourChosen = false;
    this.nameOf = nameOf;
    this.gridTypeOf = gridTypeOf;
    this.slider = $('epoch-slider');
    this.layerSlider = $('layer-slider');
    this.sharedLegend = createLegend('mean activation, all runs');
    this.sharedLegend.element.hidden = true;
    $('legend-slot').append(this.sharedLegend.element);
    this.common = -1;
    this.request = 0;
    this.layer = 0;
    this.player = new Player($('play'), {
      startAt: () => {
        const at = Number(this.slider.value);
        return this.common < 1 ? null : at >= this.common ? 0 : at;
      },
      last: () => this.common,
      delay: common => Math.max(150, Math.min(600, 6000 / (common + 1))),
      show: epoch => {
        this.slider.value = String(epoch);
        return this.showEpoch();
      },
    });
    const box = $('compare-heatmaps');
    box.textContent = '';
    for (const r of runs) {
      const grid = el('div', { class: 'heatmap-row' });
      r.legend = createLegend('');
      r.label = el('a', { href: `/runs/${encodeURIComponent(r.id)}`, text: nameOf(r) });
      r.info = el('span', { class: 'muted small' });
      box.append(el('div', { class: 'compare-row', dataset: { run: r.id } },
        el('div', { class: 'who' }, el('span', null, el('span', { class: 'swatch', style: { background: r.color } }),
          r.label), r.info, r.legend.element),
        grid));
      r.set = new HeatmapSet(grid, classNames, { readout: $('readout') });
    }
  }

  bind() {
    this.player.bind();
    this.layerSlider.addEventListener('input', () => {
      this.layer = Number(this.layerSlider.value) || 0;
      this.showEpoch();
    });
    this.slider.addEventListener('input', () => {
      this.player.stop();
      this.showEpoch();
    });
    document.querySelectorAll('input[name="scale"]').forEach(n => n.addEventListener('change', () => this.showEpoch()));
    this.colourSelect.addEventListener('change', () => {
      this.colourChosen = true;
      this.showEpoch();
    });
    this.updateColours();
    this.showEpoch();
  }

  /**
   * Until the user picks a colour map: diverging when every run's activation is sin or tanh (known once each
   * configuration is), else viridis.
   */
  updateColours() {
    if (this.colourChosen) return;
    const activations = this.runs.map(r => r.summary && r.summary.config && r.summary.config.activation);
    if (activations.some(a => !a)) return;
    const wanted = defaultColourMap(activations);
    if (this.colourSelect.value === wanted) return;
    this.colourSelect.value = wanted;
    this.showEpoch();
  }

  /** A run's name changed. */
  rename(r) {
    r.label.textContent = this.nameOf(r);
  }

  /** A frame from a run's WebSocket: the common epoch may move on, or the epoch shown may have new maps. */
  onFrame(r, frame) {
    r.frames.put(frame);
    r.newestMaps = Math.max(r.newestMaps, frame.epoch);
    if (!this.update() && frame.epoch === Number(this.slider.value) && !this.player.playing) this.showEpoch();
  }

  /** A run went back to a checkpoint: its maps after it are forgotten. */
  rewind(r, epoch) {
    r.frames.forgetAfter(epoch);
    r.newestMaps = Math.min(r.newestMaps, epoch);
    this.update();
  }

  /** Moves the slider's end to the newest epoch every run has maps for; true when that showed another epoch. */
  update() {
    const common = this.runs.length ? Math.min(...this.runs.map(r => r.newestMaps)) : -1;
    if (common === this.common) return false;
    const atEnd = Number(this.slider.value) >= this.common;
    this.common = common;
    this.slider.disabled = common < 0;
    this.slider.max = String(Math.max(0, common));
    if (this.player.playing) return false;
    if (atEnd || Number(this.slider.value) > common) this.slider.value = String(Math.max(0, common));
    this.showEpoch();
    return true;
  }

  scaleMode() {
    return document.querySelector('input[name="scale"]:checked')?.value || 'run';
  }

  async showEpoch() {
    const request = ++this.request;
    const epoch = Number(this.slider.value);
    $('epoch-label').textContent = this.common < 0 ? 'no common epoch'
      : `epoch ${epoch}${epoch === 0 ? ' (init)' : ''} / ${this.common}`;
    if (this.common < 0) return;
    const results = await Promise.allSettled(this.runs.map(r => r.frames.get(epoch)));
    if (request !== this.request) return;
    const frames = results.map(x => (x.status === 'fulfilled' ? x.value : null));
    const shared = this.scaleMode() === 'shared';
    const ok = frames.filter(Boolean);
    const colours = colourMap(this.colourSelect.value);
    const scale = shared && ok.length
      ? { min: Math.min(...ok.map(f => f.min)), max: Math.max(...ok.map(f => f.max)) } : null;
    this.sharedLegend.element.hidden = !shared;
    if (scale) this.sharedLegend.set(scale.min, scale.max, 'one scale for every run and class', colours);
    const sheetCounts = [];
    this.runs.forEach((r, i) => {
      const f = frames[i];
      r.legend.element.hidden = shared;
      if (!f) {
        r.info.textContent = `no maps for epoch ${epoch}`;
        return;
      }
      const sheets = isSheetFrame(f, this.gridTypeOf(r));
      // a 3D run with fewer layers than the slider reaches shows its last one
      const layer = sheets ? Math.min(this.layer, f.layers - 1) : 0;
      if (sheets) sheetCounts.push(f.layers);
      r.set.draw(f, { ...(scale ? { scale } : {}), layer, sheets, colours });
      r.legend.set(f.min, f.max, '', colours);
      r.info.textContent = sheets ? `${f.rows}×${f.cols}×${f.layers} grid · layer ${layer + 1} of ${f.layers}`
        : `${f.gridRows}×${f.gridCols} grid${f.blockRows > 1 || f.blockCols > 1 ? ' (block means)' : ''}`;
    });
    this.updateLayerControl(sheetCounts);
  }

  /** The layer slider applies to the 3D runs: it reaches the deepest one's last layer. */
  updateLayerControl(sheetCounts) {
    const any = sheetCounts.length > 0;
    $('layer-control').hidden = !any;
    const twoD = this.runs.length - sheetCounts.length;
    $('axis-note').textContent = !any
      ? 'rows: cells of a layer · columns: grid layers, input on the left → output on the right'
      : twoD > 0
        ? '2D runs: rows are cells of a layer, columns grid layers (input on the left) · '
          + '3D runs: one 28×28 sheet of the chosen layer, laid out like the image'
        : 'each map: one 28×28 sheet of the chosen layer, laid out like the image';
    if (!any) return;
    const deepest = Math.max(...sheetCounts);
    this.layerSlider.max = String(deepest - 1);
    this.layerSlider.disabled = deepest <= 1;
    this.layer = Math.min(this.layer, deepest - 1);
    this.layerSlider.value = String(this.layer);
    const same = sheetCounts.every(n => n === deepest);
    $('layer-label').textContent = same ? `layer ${this.layer + 1} of ${deepest}` : `layer ${this.layer + 1}`;
  }
}
