// MapLibre and the map's styles (services, coverage rate, distance, and the base map): fetched
// early, on demand, and merged into one style with the coverage and distance layers hidden and
// the base map's layers under everything.

const VENDOR = '/vendor/maplibre-gl/';

function loadCss(href) {
  return new Promise((resolve) => {
    if (document.querySelector(`link[href="${href}"]`)) return resolve();
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => resolve();
    document.head.append(link);
  });
}

async function getStyle(name) {
  const res = await fetch(`/styles/${name}.json`);
  if (!res.ok) throw new Error(`style ${name}: HTTP ${res.status}`);
  return res.json();
}

/** The base map's style, as the server composed it for what is configured; when the operator
 * chose an outside style, that style too (the only request to another server, and only then).
 * Null when it cannot be had: the map works without a base map. */
async function getBase() {
  try {
    const base = await getStyle('basemap');
    const url = base.metadata?.['bussola:outside-style'];
    if (url) {
      const res = await fetch(url);
      if (res.ok) base.outside = await res.json();
    }
    return base;
  } catch (e) {
    console.warn('no base map', e);
    return null;
  }
}

let preloaded = null;

/** Starts fetching MapLibre and the styles (call early: they are the biggest files). */
export function preload() {
  preloaded ??= Promise.all([
    import(`${VENDOR}maplibre-gl.mjs`),
    getStyle('services'),
    getStyle('coverage'),
    loadCss(`${VENDOR}maplibre-gl.css`),
    getStyle('gaps'),
    getBase(),
  ]);
  return preloaded;
}

/** An outside style's layers as base layers: ids and sources prefixed, no background and no
 * icons (its sprite is not loaded); its labels drawn with the browser's fonts, as ours are. */
function outsideLayers(outside) {
  const sources = {};
  for (const [id, src] of Object.entries(outside.sources || {})) sources[`outside-${id}`] = src;
  const layers = (outside.layers || []).filter((l) => l.type !== 'background').map((l) => {
    const layer = structuredClone(l);
    layer.id = `outside-${l.id}`;
    if (layer.source) layer.source = `outside-${layer.source}`;
    if (layer.layout) delete layer.layout['icon-image'];
    layer.metadata = { ...(layer.metadata || {}), 'bussola:slot': l.type === 'symbol' ? 'labels' : 'over' };
    return layer;
  });
  return { sources, layers };
}

/** BussolaMap's methods that merge the styles. */
export const styleMethods = {
  /** The services style with the coverage style's layers after its municipality fill, and the
   * distance style's (fills under the coverage outline, points over it), all hidden; the base
   * map's layers under them (see addBase). */
  merge(services, coverage, gaps, base) {
    const style = structuredClone(services);
    const own = new Set(style.layers.map((l) => l.id));
    this.findLayers = style.layers.filter((l) => l.type !== 'background').map((l) => l.id);
    const extra = coverage.layers
      .filter((l) => l.type !== 'background')
      .map((l) => {
        const layer = structuredClone(l);
        if (own.has(layer.id)) layer.id = `coverage-${layer.id}`;
        layer.layout = { ...(layer.layout || {}), visibility: 'none' };
        return layer;
      });
    this.coverageLayers = extra.map((l) => l.id);
    const at = style.layers.findIndex((l) => l.id === 'municipalities-fill');
    style.layers.splice(at + 1, 0, ...extra);
    const taken = new Set(style.layers.map((l) => l.id));
    const distance = (gaps?.layers || [])
      .filter((l) => l.type !== 'background' && !taken.has(l.id) && !own.has(l.id))
      .map((l) => {
        const layer = structuredClone(l);
        layer.layout = { ...(layer.layout || {}), visibility: 'none' };
        return layer;
      });
    this.gapsLayers = distance.map((l) => l.id);
    const outline = style.layers.findIndex((l) => l.id === 'coverage-municipalities-outline');
    const where = outline >= 0 ? outline : at + 1 + extra.length;
    style.layers.splice(where + 1, 0, ...distance.filter((l) => l.type !== 'fill'));
    style.layers.splice(where, 0, ...distance.filter((l) => l.type === 'fill'));
    this.addBase(style, base);
    return style;
  },

  /** The base map's layers under everything, each where its `bussola:slot` says: `under` the
   * region's land, `over` it (below the coverage and distance fills, which hide them), or
   * `labels` (above those fills, below the outlines, the municipality labels and the services). */
  addBase(style, base) {
    this.baseLayers = [];
    if (!base) return;
    const parts = { sources: { ...(base.sources || {}) }, layers: [...(base.layers || [])] };
    if (base.outside) {
      const o = outsideLayers(base.outside);
      Object.assign(parts.sources, o.sources);
      parts.layers.unshift(...o.layers);
    }
    for (const [id, src] of Object.entries(parts.sources)) if (!style.sources[id]) style.sources[id] = src;
    const slot = (l) => l.metadata?.['bussola:slot'] || (l.type === 'symbol' ? 'labels' : 'over');
    const layers = parts.layers.filter((l) => l.type !== 'background' && style.sources[l.source]).map((l) => {
      const layer = structuredClone(l);
      if (!this.baseOn) layer.layout = { ...(layer.layout || {}), visibility: 'none' };
      return layer;
    });
    this.baseLayers = layers.map((l) => l.id);
    const index = (id) => style.layers.findIndex((l) => l.id === id);
    const fill = index('municipalities-fill');
    style.layers.splice(fill, 0, ...layers.filter((l) => slot(l) === 'under'));
    style.layers.splice(index('municipalities-fill') + 1, 0, ...layers.filter((l) => slot(l) === 'over'));
    const above = ['coverage-municipalities-outline', 'municipalities-outline'].map(index).find((i) => i >= 0);
    style.layers.splice(above ?? style.layers.length, 0, ...layers.filter((l) => slot(l) === 'labels'));
    this.baseAbout = base.metadata?.['bussola:basemap'] || null;
  },

  /** Shows or hides the base map (the page's switch). */
  setBase(on) {
    this.baseOn = on;
    if (!this.ready) return;
    for (const id of this.baseLayers || []) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
  },
};
