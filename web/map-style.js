// MapLibre and the map's three styles (services, coverage rate, distance): fetched early, on
// demand, and merged into one style with the coverage and distance layers hidden.

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

let preloaded = null;

/** Starts fetching MapLibre and the styles (call early: they are the biggest files). */
export function preload() {
  preloaded ??= Promise.all([
    import(`${VENDOR}maplibre-gl.mjs`),
    getStyle('services'),
    getStyle('coverage'),
    loadCss(`${VENDOR}maplibre-gl.css`),
    getStyle('gaps'),
  ]);
  return preloaded;
}

/** BussolaMap's methods that merge the styles. */
export const styleMethods = {
  /** The services style with the coverage style's layers after its municipality fill, and the
   * distance style's (fills under the coverage outline, points over it), all hidden. */
  merge(services, coverage, gaps) {
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
    return style;
  },
};
