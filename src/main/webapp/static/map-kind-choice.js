// The run page's choice of map (mean, std, contrast, grid weights, grid biases) and what goes with the kind shown:
// the heading, a legend per kind, the caption of a one-map kind, the note for a run without the kind, the kind in
// the page's address, and the exports (the maps as a PNG picture, the numbers as npy and CSV).
import { createLegend } from './heatmap.js';
import { drawPicture, downloadPicture, frameDataUrl, pictureFileName } from './map-export.js';
import {
  MAP_KINDS, addressWithKind, isMapKind, kindCaption, kindFromAddress, kindScale, mapKind, mapNames, missingKindNote,
} from './map-kinds.js';

const $ = id => document.getElementById(id);

export class MapKindChoice {
  /**
   * Reads the kind from the page's address (?map=contrast). onChange(kind) is called when the user picks another
   * kind; the page then shows that kind's frame of the epoch shown.
   */
  constructor(runId, classNames, { onChange = () => {} } = {}) {
    this.runId = runId;
    this.classNames = classNames;
    this.onChange = onChange;
    this.kind = kindFromAddress(location.search, location.hash);
    this.inputs = [...document.querySelectorAll('input[name="map-kind"]')];
    this.colourControl = $('colour-scale').closest('label') || $('colour-scale');
    // a legend per kind, each with its own title and range: only the shown kind's is visible
    this.legends = new Map(MAP_KINDS.map(k => {
      const legend = createLegend(k.perClass ? `${k.legend}, all ${classNames.length} classes` : k.legend);
      legend.element.dataset.kind = k.id;
      $('legend-slot').append(legend.element);
      return [k.id, legend];
    }));
    // what the PNG button draws: the frame shown, its layer and style
    this.picture = null;
  }

  bind() {
    this.inputs.forEach(input => input.addEventListener('change', () => {
      if (input.checked && isMapKind(input.value) && input.value !== this.kind) {
        this.set(input.value);
        this.onChange(this.kind);
      }
    }));
    $('map-png').addEventListener('click', () => this.exportPicture());
    this.set(this.kind, { address: false });
  }

  /** Shows a kind's controls (the frame follows from the page); address: whether the address says it too. */
  set(kind, { address = true } = {}) {
    this.kind = mapKind(kind).id;
    const k = mapKind(this.kind);
    this.inputs.forEach(input => { input.checked = input.value === this.kind; });
    $('heatmaps-title').textContent = k.title;
    for (const [id, legend] of this.legends) legend.element.hidden = id !== this.kind;
    // the means follow the colour control; every other kind has the one colour map that reads it right (its legend
    // shows which), so the control goes while it is shown
    this.colourControl.hidden = k.colours !== null;
    if (address) history.replaceState(history.state, '', addressWithKind(location.href, this.kind));
    this.picture = null;
    this.setExports(null);
  }

  /** The labels of the shown kind's maps. */
  names() {
    return mapNames(this.kind, this.classNames);
  }

  /** How a frame of the shown kind is drawn ({colours, scale, range}); chosen: the colour control's id. */
  style(frame, chosen) {
    return kindScale(this.kind, frame, chosen);
  }

  /** A frame of the shown kind was drawn: its legend, caption, exports. */
  shown(frame, { sheets, layer, style }) {
    $('map-missing').hidden = true;
    const legend = this.legends.get(this.kind);
    legend.element.hidden = false;
    const of = mapKind(this.kind).perClass ? 'all classes' : 'the map';
    const note = `${mapKind(this.kind).colours === 'viridis' ? 'from 0 · ' : ''}one scale for ${of}`
      + (sheets ? ' and layers' : '');
    legend.set(style.range.min, style.range.max, note, style.colours);
    const caption = kindCaption(this.kind, sheets);
    $('map-caption').hidden = !caption;
    $('map-caption').textContent = caption || '';
    this.picture = { frame, sheets, layer, style, note };
    this.setExports(frame.epoch);
  }

  /** The run has no frame of the shown kind (it is older than the kind): a note instead of the maps. */
  missing() {
    for (const id of ['heatmaps', 'filmstrip', 'stack-view', 'map-caption']) $(id).hidden = true;
    this.legends.get(this.kind).element.hidden = true;
    const note = $('map-missing');
    note.textContent = missingKindNote(this.kind);
    note.hidden = false;
    this.picture = null;
    this.setExports(null);
  }

  /** The export controls for an epoch's frame of the shown kind, or disabled (null: nothing shown). */
  setExports(epoch) {
    $('map-png').disabled = epoch == null;
    for (const format of ['npy', 'csv']) {
      const link = $(`map-${format}`);
      link.classList.toggle('disabled', epoch == null);
      link.setAttribute('aria-disabled', String(epoch == null));
      if (epoch == null) link.removeAttribute('href');
      else link.href = frameDataUrl(this.runId, this.kind, epoch, format);
    }
  }

  /** Downloads the maps shown as a PNG picture; resolves with the blob (undefined when nothing is shown). */
  exportPicture() {
    const p = this.picture;
    if (!p) return Promise.resolve();
    const k = mapKind(this.kind);
    const layer = p.sheets ? p.layer : null;
    const where = layer == null ? '' : `, layer ${layer + 1} of ${p.frame.layers}`;
    const canvas = drawPicture(p.frame, {
      names: this.names(), title: `${k.title} · run ${this.runId} · epoch ${p.frame.epoch}${where}`,
      colours: p.style.colours, scale: p.style.scale, range: p.style.range, note: p.note, layer: layer || 0,
    });
    return downloadPicture(canvas, pictureFileName(this.runId, this.kind, p.frame.epoch, layer))
      .catch(e => console.warn('no PNG of the maps', e));
  }
}
