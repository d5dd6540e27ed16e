// The run page's heatmaps: the ten class maps of one epoch (of one layer, for a 3D grid), the epoch slider and
// its animation, the layer slider and its sweep, the filmstrip and 3D views, tiles per row, the colour map and the
// legend; the kind of map (MapKindChoice: per-class means, spreads, contrasts, or the grid's weights or biases).
import { perFrame } from './common.js';
import { colourMap, defaultColourMap } from './colours.js';
import { isSheetFrame } from './frame.js';
import { FrameCache } from './frame-cache.js';
import { HeatmapSet } from './heatmap.js';
import { Filmstrip } from './filmstrip.js';
import { MapKindChoice } from './map-kind-choice.js';
import { Player } from './player.js';
import { StackPanel } from './stack-panel.js';

const $ = id => document.getElementById(id);
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

export class RunMaps {
  constructor(runId, classNames, active) {
    this.active = active;
    this.run = {};
    this.frames = new FrameCache(runId);
    this.choice = new MapKindChoice(runId, classNames, { onChange: () => this.show(Number(this.slider.value)) });
    this.setNames(this.choice.names());
    this.stack = new StackPanel($('stack-view'), classNames, { runId });
    this.slider = $('epoch-slider');
    this.layerSlider = $('layer-slider');
    // the newest epoch with maps, the epoch drawn, whether new frames are drawn as they come, the latest request
    this.max = -1;
    this.shown = null;
    this.following = true;
    this.request = 0;
    // 3D: the layer shown (0-based), the frame's number of layers, whether it holds sheets, the view ('layer',
    // 'filmstrip' or 'stack')
    this.layer = 0;
    this.layers = 1;
    this.sheets = false;
    this.view = 'layer';
    // the colour map: chosen by the user, else the default for the run's activation
    this.colourSelect = $('colour-scale');
    this.colourChosen = false;
    // the newest frame from the WebSocket, drawn at the next screen refresh
    this.pending = null;
    this.drawPending = perFrame(() => {
      const frame = this.pending;
      this.pending = null;
      if (frame && !this.epochPlayer.playing && Number(this.slider.value) === frame.epoch
        && frame.kind === this.choice.kind) this.draw(frame);
    });
    this.epochPlayer = new Player($('play'), {
      startAt: () => (this.max < 1 ? null : Number(this.slider.value) >= this.max ? 0 : Number(this.slider.value)),
      last: () => this.max,
      delay: max => clamp(6000 / (max + 1), 80, 500),
      show: e => this.playEpoch(e),
      onEnd: () => {
        this.following = true;
        this.updateEpochLabel();
      },
    });
    this.layerPlayer = new Player($('play-layers'), {
      playLabel: 'sweep the layers', pauseLabel: 'stop the sweep',
      startAt: () => (this.layers < 2 ? null : this.layer >= this.layers - 1 ? 0 : this.layer),
      last: () => this.layers - 1,
      delay: last => clamp(5000 / (last + 1), 40, 400),
      show: l => this.setLayer(l),
    });
  }

  bind() {
    this.epochPlayer.bind();
    this.layerPlayer.bind();
    this.choice.bind();
    this.slider.addEventListener('input', () => {
      this.epochPlayer.stop();
      const e = Number(this.slider.value);
      this.following = e >= this.max;
      this.show(e);
    });
    this.layerSlider.addEventListener('input', () => {
      this.layerPlayer.stop();
      this.setLayer(Number(this.layerSlider.value));
    });
    document.querySelectorAll('input[name="view"]').forEach(n => n.addEventListener('change', () => {
      const view = document.querySelector('input[name="view"]:checked')?.value;
      this.view = view === 'filmstrip' || view === 'stack' ? view : 'layer';
      if (this.view === 'stack') this.layerPlayer.stop();
      const f = this.shownFrame();
      if (f) this.draw(f);
    }));
    $('tiles-per-row').addEventListener('change', () => this.layoutTiles(this.shownFrame()));
    this.colourSelect.addEventListener('change', () => {
      this.colourChosen = true;
      this.redraw();
    });
    window.addEventListener('resize', () => {
      const f = this.shownFrame();
      this.layoutTiles(f);
      if (f && this.sheets && this.view === 'filmstrip') {
        this.filmstrip.draw(f, { layer: this.layer, ...this.look(f) });
      }
      if (f && this.sheets && this.view === 'stack') this.stack.render();
    });
    this.updateEpochLabel();
  }

  /**
   * The summary changed: its grid type says how to read frames, its status whether the maps are live, its
   * activation which colour map to start with (diverging for sin and tanh, whose maps are signed).
   */
  setRun(run) {
    this.run = run;
    this.updateEpochLabel();
    const activation = run.config && run.config.activation;
    if (!this.colourChosen && activation) {
      const wanted = defaultColourMap([activation]);
      if (this.colourSelect.value !== wanted) {
        this.colourSelect.value = wanted;
        this.redraw();
      }
    }
  }

  /** The colour map the maps shown are drawn on: the control's for the means, the kind's own for the others. */
  colours() {
    const f = this.shownFrame();
    return f ? this.look(f).colours : colourMap(this.colourSelect.value);
  }

  /** How a frame of the kind shown is drawn: {colours, scale, range} (see kindScale). */
  look(frame) {
    return this.choice.style(frame, this.colourSelect.value);
  }

  /** The frame drawn (of the kind shown), or undefined. */
  shownFrame() {
    return this.frames.peek(this.shown, this.choice.kind);
  }

  /** The tiles and filmstrip rows, one per map: ten classes, or one map of the grid; rebuilt when that changes. */
  setNames(names) {
    if (this.names && this.names.join('\n') === names.join('\n')) return;
    this.names = names;
    const kind = this.choice.kind;
    const describe = kind === 'mean' ? undefined
      : name => (names.length === 1 ? `map of the ${name}` : `${kind} map of class ${name}`);
    this.tiles = new HeatmapSet($('heatmaps'), names, { readout: $('readout'), describe });
    this.filmstrip = new Filmstrip($('filmstrip'), names, { readout: $('readout'), onPick: l => this.setLayer(l) });
  }

  /** Draws the frame shown again (another colour map). */
  redraw() {
    const f = this.shownFrame();
    if (f) this.draw(f);
  }

  /** '2d' or '3d' once the configuration is known, else null (then the frames decide). */
  gridType() {
    const c = this.run.config;
    return c && typeof c.gridType === 'string' ? c.gridType : c ? '2d' : null;
  }

  setMaxEpoch(epoch) {
    if (epoch <= this.max) return;
    this.max = epoch;
    this.slider.max = String(epoch);
    this.slider.disabled = false;
    if (this.following && !this.epochPlayer.playing) this.slider.value = String(epoch);
    this.updateEpochLabel();
  }

  /** The run went back to a checkpoint: the maps after it are forgotten, the slider ends there. */
  rewind(epoch) {
    this.frames.forgetAfter(epoch);
    if (this.max <= epoch) return;
    this.max = epoch;
    this.slider.max = String(epoch);
    if (Number(this.slider.value) > epoch) this.slider.value = String(epoch);
    this.updateEpochLabel();
  }

  updateEpochLabel() {
    const e = Number(this.slider.value);
    $('epoch-label').textContent = this.max < 0 ? 'no maps yet' : `epoch ${e}${e === 0 ? ' (init)' : ''} / ${this.max}`;
    $('live-tag').hidden = !(this.following && this.active.has(this.run.status));
  }

  /** 10 maps in a row when each cell still gets 3 screen pixels, else 5 (or what the user chose). */
  layoutTiles(frame) {
    const grid = $('heatmaps');
    const choice = $('tiles-per-row').value;
    let ten = choice === '10';
    if (choice === 'auto' && frame) {
      const tile = (grid.clientWidth - 9 * 10) / 10;
      ten = Math.min(tile / frame.cols, 300 / frame.rows) >= 3;
    }
    grid.classList.toggle('per-row-10', ten);
    grid.classList.toggle('single', this.names.length === 1);
  }

  draw(frame) {
    const sheets = isSheetFrame(frame, this.gridType());
    this.sheets = sheets;
    this.layers = sheets ? frame.layers : 1;
    this.layer = clamp(this.layer, 0, this.layers - 1);
    const strips = sheets && this.view === 'filmstrip';
    const stack = sheets && this.view === 'stack';
    this.setNames(this.choice.names());
    $('heatmaps').hidden = strips || stack;
    $('filmstrip').hidden = !strips;
    $('stack-view').hidden = !stack;
    $('tiles-control').hidden = strips || stack;
    // the tiles are drawn in both views, so that they always show the newest frame
    this.layoutTiles(frame);
    const style = this.look(frame);
    const { colours, scale } = style;
    // the weights' columns are their source layers, numbered from 0 (the dense layer's output)
    const layerBase = frame.kind === 'weights' ? 0 : 1;
    this.tiles.draw(frame, { layer: this.layer, sheets, colours, scale, layerBase });
    if (strips) this.filmstrip.draw(frame, { layer: this.layer, colours, scale });
    if (stack) this.stack.draw(frame, { colours, scale, names: this.names });
    this.shown = frame.epoch;
    this.choice.shown(frame, { sheets, layer: this.layer, style });
    this.updateLayerControl();
  }

  /** The layer slider, its "layer l of L" text, the view choice and the note under the maps. */
  updateLayerControl() {
    // the 3D view shows every layer at once: no layer to pick
    $('layer-control').hidden = !this.sheets || this.view === 'stack';
    $('view-choice').hidden = !this.sheets;
    const note = $('axis-note');
    const f = this.shownFrame();
    if (!this.sheets) {
      if (f) {
        const blocks = f.blockRows > 1 || f.blockCols > 1
          ? ` · each pixel the mean of ${f.blockRows}×${f.blockCols} cells of the ${f.gridRows}×${f.gridCols} grid`
          : '';
        note.textContent = `${f.rows} rows: cells of a layer · ${f.cols} columns: grid layers, `
          + `input on the left → output on the right${blocks}`;
      }
      return;
    }
    const { layer, layers } = this;
    this.layerSlider.max = String(layers - 1);
    this.layerSlider.value = String(layer);
    this.layerSlider.disabled = layers <= 1;
    $('play-layers').disabled = layers <= 1;
    const text = `layer ${layer + 1} of ${layers}`;
    $('layer-label').textContent = text;
    this.layerSlider.setAttribute('aria-valuetext', text);
    const where = layer === 0 ? ' (reads the image)' : layer === layers - 1 ? ' (feeds the output)' : '';
    const side = f ? `${f.rows}×${f.cols}` : '28×28';
    note.textContent = this.view === 'filmstrip'
      ? `each row: one class's ${layers} sheets of ${side} cells, layer 1 (reads the image) on the left → `
        + `layer ${layers} (feeds the output) on the right · outlined: ${text} · click a sheet to show its layer`
      : this.view === 'stack'
        ? `one class's ${layers} sheets of ${side} cells one behind another, layer 1 (reads the image) in front · `
          + 'each square: a cell whose |value| is above the threshold'
        : `each map: a ${side} sheet of cells, laid out like the image · ${text}${where}`;
  }

  /** Shows another layer of the frame on screen (no fetch: a frame holds every layer). */
  setLayer(layer) {
    this.layer = clamp(Number(layer) || 0, 0, this.layers - 1);
    const f = this.shownFrame();
    if (!f) return;
    this.tiles.draw(f, { layer: this.layer, sheets: this.sheets, ...this.look(f),
      layerBase: f.kind === 'weights' ? 0 : 1 });
    this.choice.shown(f, { sheets: this.sheets, layer: this.layer, style: this.look(f) });
    if (this.sheets && this.view === 'filmstrip') this.filmstrip.setLayer(this.layer);
    this.updateLayerControl();
  }

  /**
   * Shows an epoch's maps of the kind chosen, fetching them when they are not cached; a later request wins. A kind
   * the run has no frames of (a run from before it was recorded) shows a note instead.
   */
  async show(epoch) {
    const request = ++this.request;
    this.updateEpochLabel();
    if (this.max < 0) return;
    try {
      const frame = await this.frames.get(epoch, this.choice.kind);
      if (request === this.request) this.draw(frame);
    } catch (e) {
      if (request !== this.request) return;
      if (e.status === 404 && this.choice.kind !== 'mean') this.missing();
      else $('readout').textContent = `no ${this.choice.kind} heatmap for epoch ${epoch}`;
    }
  }

  /** No frame of the chosen kind: the choice's note instead of the maps (the other controls stay). */
  missing() {
    this.shown = null;
    this.choice.missing();
  }

  /** One step of the epoch animation: a missing epoch is skipped, the next one is fetched ahead. */
  async playEpoch(e) {
    this.slider.value = String(e);
    this.following = e >= this.max;
    this.updateEpochLabel();
    const kind = this.choice.kind;
    const frame = await this.frames.get(e, kind);
    if (!this.epochPlayer.playing || kind !== this.choice.kind) return;
    this.draw(frame);
    this.frames.get(e + 1 <= this.max ? e + 1 : e, kind).catch(() => {});
  }

  /**
   * A frame from the WebSocket: cached, and drawn (once per screen refresh at most) when it is the newest and the
   * maps follow, or the one shown.
   */
  onFrame(frame) {
    this.frames.put(frame);
    this.setMaxEpoch(frame.epoch);
    if (this.epochPlayer.playing || frame.kind !== this.choice.kind) return;
    if ((this.following && frame.epoch >= this.max) || frame.epoch === this.shown) {
      this.slider.value = String(frame.epoch);
      this.updateEpochLabel();
      this.pending = frame;
      this.drawPending();
    }
  }

  /** The newest maps of a run that is not training (the WebSocket sends them too; the cache makes that free). */
  showNewest(epoch) {
    const kind = this.choice.kind;
    this.frames.get(epoch, kind).then(f => {
      this.setMaxEpoch(f.epoch);
      if (this.shown == null || f.epoch >= this.shown) this.onFrame(f);
    }).catch(e => {
      if (e.status === 404 && kind !== 'mean' && kind === this.choice.kind && this.shown == null) this.missing();
    });
  }
}
