// The run page's heatmaps: the ten class maps of one epoch (of one layer, for a 3D grid), the epoch slider and
// its animation, the layer slider and its sweep, the filmstrip view, tiles per row, the colour map and the legend.
import { perFrame } from './common.js';
import { colourMap, defaultColourMap } from './colours.js';
import { isSheetFrame } from './frame.js';
import { FrameCache } from './frame-cache.js';
import { HeatmapSet, createLegend } from './heatmap.js';
import { Filmstrip } from './filmstrip.js';
import { Player } from './player.js';

const $ = id => document.getElementById(id);
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

export class RunMaps {
  constructor(runId, classNames, active) {
    this.active = active;
    this.run = {};
    this.frames = new FrameCache(runId);
    this.tiles = new HeatmapSet($('heatmaps'), classNames, { readout: $('readout') });
    this.filmstrip = new Filmstrip($('filmstrip'), classNames,
      { readout: $('readout'), onPick: l => this.setLayer(l) });
    this.legend = createLegend(`mean activation, all ${classNames.length} classes`);
    $('legend-slot').append(this.legend.element);
    this.slider = $('epoch-slider');
    this.layerSlider = $('layer-slider');
    // the newest epoch with maps, the epoch drawn, whether new frames are drawn as they come, the latest request
    this.max = -1;
    this.shown = null;
    this.following = true;
    this.request = 0;
    // 3D: the layer shown (0-based), the frame's number of layers, whether it holds sheets, the view
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
      if (frame && !this.epochPlayer.playing && Number(this.slider.value) === frame.epoch) this.draw(frame);
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
      this.view = document.querySelector('input[name="view"]:checked')?.value === 'filmstrip' ? 'filmstrip' : 'layer';
      const f = this.frames.peek(this.shown);
      if (f) this.draw(f);
    }));
    $('tiles-per-row').addEventListener('change', () => this.layoutTiles(this.frames.peek(this.shown)));
    this.colourSelect.addEventListener('change', () => {
      this.colourChosen = true;
      this.redraw();
    });
    window.addEventListener('resize', () => {
      const f = this.frames.peek(this.shown);
      this.layoutTiles(f);
      if (f && this.sheets && this.view === 'filmstrip') {
        this.filmstrip.draw(f, { layer: this.layer, colours: this.colours() });
      }
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

  /** The colour map the control names. */
  colours() {
    return colourMap(this.colourSelect.value);
  }

  /** Draws the frame shown again (another colour map). */
  redraw() {
    const f = this.frames.peek(this.shown);
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
  }

  draw(frame) {
    const sheets = isSheetFrame(frame, this.gridType());
    this.sheets = sheets;
    this.layers = sheets ? frame.layers : 1;
    this.layer = clamp(this.layer, 0, this.layers - 1);
    const strips = sheets && this.view === 'filmstrip';
    $('heatmaps').hidden = strips;
    $('filmstrip').hidden = !strips;
    $('tiles-control').hidden = strips;
    // the tiles are drawn in both views, so that they always show the newest frame
    this.layoutTiles(frame);
    const colours = this.colours();
    this.tiles.draw(frame, { layer: this.layer, sheets, colours });
    if (strips) this.filmstrip.draw(frame, { layer: this.layer, colours });
    this.shown = frame.epoch;
    this.legend.set(frame.min, frame.max,
      sheets ? 'one scale for all classes and layers' : 'one scale for all classes', colours);
    this.updateLayerControl();
  }

  /** The layer slider, its "layer l of L" text, the view choice and the note under the maps. */
  updateLayerControl() {
    $('layer-control').hidden = !this.sheets;
    $('view-choice').hidden = !this.sheets;
    const note = $('axis-note');
    const f = this.frames.peek(this.shown);
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
      : `each map: a ${side} sheet of cells, laid out like the image · ${text}${where}`;
  }

  /** Shows another layer of the frame on screen (no fetch: a frame holds every layer). */
  setLayer(layer) {
    this.layer = clamp(Number(layer) || 0, 0, this.layers - 1);
    const f = this.frames.peek(this.shown);
    if (!f) return;
    this.tiles.draw(f, { layer: this.layer, sheets: this.sheets, colours: this.colours() });
    if (this.sheets && this.view === 'filmstrip') this.filmstrip.setLayer(this.layer);
    this.updateLayerControl();
  }

  /** Shows an epoch's maps, fetching them when they are not cached; a later request wins. */
  async show(epoch) {
    const request = ++this.request;
    this.updateEpochLabel();
    try {
      const frame = await this.frames.get(epoch);
      if (request === this.request) this.draw(frame);
    } catch (e) {
      if (request === this.request) $('readout').textContent = `no heatmap for epoch ${epoch}`;
    }
  }

  /** One step of the epoch animation: a missing epoch is skipped, the next one is fetched ahead. */
  async playEpoch(e) {
    this.slider.value = String(e);
    this.following = e >= this.max;
    this.updateEpochLabel();
    const frame = await this.frames.get(e);
    if (!this.epochPlayer.playing) return;
    this.draw(frame);
    this.frames.get(e + 1 <= this.max ? e + 1 : e).catch(() => {});
  }

  /**
   * A frame from the WebSocket: cached, and drawn (once per screen refresh at most) when it is the newest and the
   * maps follow, or the one shown.
   */
  onFrame(frame) {
    this.frames.put(frame);
    this.setMaxEpoch(frame.epoch);
    if (this.epochPlayer.playing) return;
    if ((this.following && frame.epoch >= this.max) || frame.epoch === this.shown) {
      this.slider.value = String(frame.epoch);
      this.updateEpochLabel();
      this.pending = frame;
      this.drawPending();
    }
  }

  /** The newest maps of a run that is not training (the WebSocket sends them too; the cache makes that free). */
  showNewest(epoch) {
    this.frames.get(epoch).then(f => {
      this.setMaxEpoch(f.epoch);
      if (this.shown == null || f.epoch >= this.shown) this.onFrame(f);
    }).catch(() => {});
  }
}
