// What each kind of heatmap frame shows and how the run page reads it: the choice's labels, titles and captions,
// the colour map and scale each kind is drawn on, and the kind kept in the page's address. Pure: no DOM.
import { COLOUR_MAPS, colourMap, symmetricLimit } from './colours.js';
import { FRAME_KINDS } from './frame.js';

/**
 * The kinds in the order the choice lists them (FRAME_KINDS's). perClass: ten maps, else one map of the whole
 * grid; colours: the colour map the kind is always drawn on (the sign of a contrast, weight or bias is the message,
 * so they are diverging with 0 white; a spread is never negative, so viridis from 0), or null where the page's
 * colour control decides (the means, as before the kinds).
 */
export const MAP_KINDS = Object.freeze([
  { id: 'mean', label: 'Mean', title: 'Mean activation per class', legend: 'mean activation', perClass: true,
    colours: null },
  { id: 'std', label: 'Std', title: 'Standard deviation of the activation per class', legend: 'std of activation',
    perClass: true, colours: 'viridis', fromZero: true },
  { id: 'contrast', label: 'Contrast', title: 'Class contrast: class mean minus the mean over the classes',
    legend: 'class mean − mean of the classes', perClass: true, colours: 'diverging' },
  { id: 'weights', label: 'Grid weights', title: 'Grid weights', legend: 'grid weight', perClass: false,
    colours: 'diverging', mapName: 'grid weights' },
  { id: 'biases', label: 'Grid biases', title: 'Grid biases', legend: 'grid bias', perClass: false,
    colours: 'diverging', mapName: 'grid biases' },
].map(k => Object.freeze(k)));

const BY_ID = new Map(MAP_KINDS.map(k => [k.id, k]));

/** The kind of an id; the mean for an unknown one (an old link, a typo). */
export function mapKind(id) {
  return BY_ID.get(id) || BY_ID.get('mean');
}

/** Whether a string names a kind a frame can have. */
export function isMapKind(id) {
  return FRAME_KINDS.includes(id);
}

/** The labels of a kind's maps: the class names, or the one map's name. */
export function mapNames(kind, classNames) {
  const k = mapKind(kind);
  return k.perClass ? classNames : [k.mapName];
}

/**
 * How a frame of a kind is drawn: colours (a colour map of COLOUR_MAPS), scale (the {min, max} its bytes are drawn
 * over, or null for the frame's own range) and range (the {min, max} its legend spans). chosen is the id the colour
 * control names, which only the means follow. A std frame spans 0..max; a diverging one ±max(|min|, |max|).
 */
export function kindScale(kind, frame, chosen) {
  const k = mapKind(kind);
  const colours = k.colours ? COLOUR_MAPS[k.colours] : colourMap(chosen);
  if (k.fromZero) {
    const scale = { min: 0, max: Math.max(0, frame.max) };
    return { colours, scale, range: scale };
  }
  if (colours.centred) {
    const limit = symmetricLimit(frame.min, frame.max);
    return { colours, scale: null, range: { min: -limit, max: limit } };
  }
  return { colours, scale: null, range: { min: frame.min, max: frame.max } };
}

/**
 * What a one-map kind's picture is, said under it (null for the per-class kinds). sheets: a 3D grid's frame, whose
 * layers the page numbers from 1.
 */
export function kindCaption(kind, sheets) {
  if (kind === 'weights') {
    return sheets
      ? 'one map of the grid weights: the sheet at layer n holds the weights of source layer n−1 (0: the image), '
        + 'each cell the weight by which it feeds its window in layer n'
      : 'one map of the grid weights: column l holds the weights of source layer l (column 0: the dense layer\'s '
        + 'output), each cell the weight by which it feeds its window in layer l+1';
  }
  if (kind === 'biases') {
    return sheets
      ? 'one map of the grid biases: each sheet holds the biases of its layer, cell by cell'
      : 'one map of the grid biases: column l holds the biases of layer l+1, the cells the mean maps show there';
  }
  return null;
}

/** The note shown instead of the maps when a run has no frames of a kind. */
export function missingKindNote(kind) {
  const k = mapKind(kind);
  return `This run has no ${k.title.toLowerCase()} maps: it was trained before the dashboard recorded them. `
    + 'Only the mean activation maps are there.';
}

/**
 * The kind a page address asks for: ?map=<id> or #map=<id> (the query wins); 'mean' when neither names a kind.
 */
export function kindFromAddress(search = '', hash = '') {
  const fromQuery = new URLSearchParams(search).get('map');
  if (isMapKind(fromQuery)) return fromQuery;
  const fromHash = new URLSearchParams(String(hash).replace(/^#/, '')).get('map');
  return isMapKind(fromHash) ? fromHash : 'mean';
}

/** The page address that opens a kind: ?map=<id>, none for the mean; the rest of the address kept. */
export function addressWithKind(href, kind) {
  const url = new URL(href);
  if (kind === 'mean') url.searchParams.delete('map');
  else url.searchParams.set('map', kind);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  if (hash.has('map')) {
    hash.delete('map');
    url.hash = hash.toString();
  }
  return url.toString();
}
