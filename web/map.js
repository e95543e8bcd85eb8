// The map: MapLibre (loaded on demand, so the form and the list work before it arrives and
// without it), the three styles merged into one map (services, coverage rate, distance), and
// the page's own layers (the search origin, the numbered results, the chosen municipality, the
// sites of a what-if scenario).

const VENDOR = '/vendor/maplibre-gl/';
const EMPTY = { type: 'FeatureCollection', features: [] };
const PAGE_FIND_LAYERS = ['origin-ring', 'origin-dot', 'result-leaders', 'results-selected', 'results-badges'];
const PAGE_COVERAGE_LAYERS = ['municipality-selected'];
const PAGE_PLAN_LAYERS = ['plan-rings', 'plan-closed', 'plan-sites'];
// The layers of the services style that the what-if view shows (to pick a service to close).
const PLAN_BASE_LAYERS = ['municipalities-fill', 'municipalities-outline', 'municipality-labels',
  'services-clusters', 'services-cluster-count', 'services-approximate', 'services-points', 'services-letters'];
const RATE_LAYERS = ['coverage-fill', 'coverage-no-places', 'coverage-below-regional'];
const SHARED_COVERAGE_LAYERS = ['coverage-municipalities-outline', 'coverage-municipality-labels'];

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

/** A diagonal hatch for municipalities with no places (the styles have no sprite). */
function hatch() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      const i = (y * size + x) * 4;
      data.set(on ? [40, 40, 40, 230] : [255, 255, 255, 90], i);
    }
  }
  return { width: size, height: size, data };
}

/** A rounded square for the numbered results (squares, so they do not look like the round
 * clusters), drawn at twice the size for sharp screens. */
function badge(side, fill, stroke, strokeWidth) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const w = strokeWidth * ratio;
  const r = size * 0.22;
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(w / 2, w / 2, size - w, size - w, r);
  else ctx.rect(w / 2, w / 2, size - w, size - w);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = w;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}

/** A diamond (a square on its corner) for the hypothetical sites of a what-if scenario. */
function diamond(side, fill, stroke) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const m = 3 * ratio;
  ctx.beginPath();
  ctx.moveTo(size / 2, m);
  ctx.lineTo(size - m, size / 2);
  ctx.lineTo(size / 2, size - m);
  ctx.lineTo(m, size / 2);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 2.5 * ratio;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  ctx.lineWidth = 1 * ratio;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}

/** A white disc with a thick red cross, over a service whose closing is simulated. */
function cross(side) {
  const ratio = 2;
  const size = side * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.arc(size / 2, size / 2, size / 2 - ratio * 2, 0, 2 * Math.PI);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 2 * ratio;
  ctx.strokeStyle = '#000000';
  ctx.stroke();
  const a = size * 0.3;
  ctx.beginPath();
  ctx.moveTo(a, a);
  ctx.lineTo(size - a, size - a);
  ctx.moveTo(size - a, a);
  ctx.lineTo(a, size - a);
  ctx.lineWidth = 4 * ratio;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#b00020';
  ctx.stroke();
  return { image: ctx.getImageData(0, 0, size, size), pixelRatio: ratio };
}

/** A circle of `km` around lon/lat on the sphere, as a GeoJSON polygon. */
export function circle(lon, lat, km, steps = 72) {
  const R = 6371.0088;
  const d = km / R;
  const la = (lat * Math.PI) / 180;
  const lo = (lon * Math.PI) / 180;
  const ring = [];
  for (let i = 0; i <= steps; i++) {
    const b = (2 * Math.PI * (i % steps)) / steps;
    const la2 = Math.asin(Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b));
    const lo2 = lo + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * Math.sin(la2));
    ring.push([(lo2 * 180) / Math.PI, (la2 * 180) / Math.PI]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * Offsets in pixels that keep the numbered badges of nearby results from covering each other
 * (services often share a locality's position): overlapping badges are pushed apart.
 */
function declutter(points, gap = 31) {
  const off = points.map(() => [0, 0]);
  for (let iter = 0; iter < 40; iter++) {
    let moved = false;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        let dx = points[j].x + off[j][0] - points[i].x - off[i][0];
        let dy = points[j].y + off[j][1] - points[i].y - off[i][1];
        let d = Math.hypot(dx, dy);
        if (d >= gap) continue;
        if (d < 0.01) {
          const a = (2 * Math.PI * (j % 8)) / 8;
          dx = Math.cos(a);
          dy = Math.sin(a);
          d = 1;
        }
        const push = (gap - d) / 2 + 0.5;
        off[i][0] -= (dx / d) * push;
        off[i][1] -= (dy / d) * push;
        off[j][0] += (dx / d) * push;
        off[j][1] += (dy / d) * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return off.map(([x, y]) => [Math.round(x), Math.round(y)]);
}

/** Replaces every string `from` by `to` inside a style expression. */
function swap(expr, from, to) {
  if (Array.isArray(expr)) return expr.map((e) => swap(e, from, to));
  return expr === from ? to : expr;
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

export class BussolaMap {
  /**
   * @param {HTMLElement} container
   * @param {object} handlers onPlace(lngLat), onService(id), onResult(id), onMunicipality(code)
   */
  constructor(container, handlers) {
    this.container = container;
    this.handlers = handlers;
    this.view = 'find';
    this.indicator = 'elderly';
    this.lang = 'pt';
    this.filters = { group: '', type: '' };
    this.measure = 'rate';
    this.distance = { type: 'ERPI', metric: 'share_beyond', threshold: 10, rows: null, points: false };
    this.plan = { type: 'ERPI', sites: [], closed: [], threshold: 10, points: true };
    this.ready = false;
  }

  /** Loads MapLibre and the styles and shows the map; rejects when the map cannot be shown. */
  async init({ bbox, attribution, targets }) {
    this.bbox = bbox;
    const [maplibregl, services, coverage, , gaps] = await preload();
    this.lib = maplibregl.default ?? maplibregl;
    this.servicesStyle = services;
    this.coverageStyle = coverage;
    this.gapsStyle = gaps;
    this.targets = targets || {};
    const style = this.merge(services, coverage, gaps);

    const map = new this.lib.Map({
      container: this.container,
      style,
      bounds: bbox,
      fitBoundsOptions: { padding: this.padding() },
      attributionControl: { customAttribution: attribution },
      cooperativeGestures: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      minZoom: 5,
      maxZoom: 17,
      locale: this.locale || {},
    });
    this.map = map;
    window.bussolaMap = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new this.lib.NavigationControl({ showCompass: false }), 'top-right');
    map.on('styleimagemissing', (e) => {
      if (e.id === 'bussola-hatch' && !map.hasImage(e.id)) map.addImage(e.id, hatch());
    });

    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('map load timeout')), 30000);
      map.once('load', () => {
        clearTimeout(timer);
        resolve();
      });
      map.once('error', (e) => {
        // A missing tile or style resource is not fatal; only fail when nothing loaded.
        if (!map.loaded() && !map.isStyleLoaded()) {
          clearTimeout(timer);
          reject(e.error || new Error('map error'));
        }
      });
    });
    if (!map.hasImage('bussola-hatch')) map.addImage('bussola-hatch', hatch());
    // On phones the attribution starts folded (the (i) button opens it; the page lists the
    // sources too), so it does not cover half the map.
    if (this.container.clientWidth < 640) {
      this.container.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
    }
    this.addPageLayers();
    const tiles = map.getSource('bussola')?.tiles;
    this.baseTiles = tiles?.length ? tiles.map((u) => u.split('?')[0]) : null;
    this.bind();
    this.ready = true;
    this.applyIndicator();
    this.applyDistance();
    this.applyPlan();
    this.applyView();
    this.applyLetters();
    this.applyFilters();
    return map;
  }

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
  }

  addPageLayers() {
    const map = this.map;
    const font = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Arial Bold'];
    map.addSource('origin', { type: 'geojson', data: EMPTY });
    map.addSource('results', { type: 'geojson', data: EMPTY });
    map.addSource('result-leaders', { type: 'geojson', data: EMPTY });
    map.addSource('plan-sites', { type: 'geojson', data: EMPTY });
    map.addSource('plan-rings', { type: 'geojson', data: EMPTY });
    map.addSource('plan-closed', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'municipality-selected', type: 'line', source: 'bussola', 'source-layer': 'municipalities',
      filter: ['==', ['get', 'code'], ''],
      layout: { 'line-join': 'round', visibility: 'none' },
      paint: { 'line-color': '#000000', 'line-width': 5 },
    });
    map.addLayer({
      id: 'origin-ring', type: 'circle', source: 'origin',
      paint: { 'circle-radius': 12, 'circle-color': '#ffffff', 'circle-stroke-color': '#a10000', 'circle-stroke-width': 4 },
    });
    map.addLayer({
      id: 'origin-dot', type: 'circle', source: 'origin',
      paint: { 'circle-radius': 4, 'circle-color': '#a10000' },
    });
    const b = badge(28, '#1a1a1a', '#ffffff', 2.5);
    map.addImage('result-badge', b.image, { pixelRatio: b.pixelRatio });
    const sel = badge(40, '#f0e442', '#000000', 2);
    map.addImage('result-selected', sel.image, { pixelRatio: sel.pixelRatio });
    const symbol = {
      'icon-allow-overlap': true, 'icon-ignore-placement': true,
      'symbol-sort-key': ['-', 0, ['get', 'rank']],
    };
    map.addLayer({
      id: 'result-leaders', type: 'line', source: 'result-leaders',
      paint: { 'line-color': '#1a1a1a', 'line-width': 1.5 },
    });
    map.addLayer({
      id: 'results-selected', type: 'symbol', source: 'results',
      filter: ['==', ['get', 'selected'], true],
      layout: { ...symbol, 'icon-image': 'result-selected' },
    });
    // What-if: a dashed ring of the threshold around each hypothetical site, a purple diamond
    // with its number (unlike anything else on the map), and a cross over services closed.
    map.addLayer({
      id: 'plan-rings', type: 'line', source: 'plan-rings',
      layout: { visibility: 'none' },
      paint: { 'line-color': '#6a1b9a', 'line-width': 2, 'line-dasharray': [2, 2] },
    });
    const site = diamond(34, '#6a1b9a', '#ffffff');
    map.addImage('plan-site', site.image, { pixelRatio: site.pixelRatio });
    const closed = cross(30);
    map.addImage('plan-closed', closed.image, { pixelRatio: closed.pixelRatio });
    map.addLayer({
      id: 'plan-closed', type: 'symbol', source: 'plan-closed',
      layout: { visibility: 'none', 'icon-image': 'plan-closed', 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    });
    map.addLayer({
      id: 'plan-sites', type: 'symbol', source: 'plan-sites',
      layout: {
        visibility: 'none',
        'icon-image': 'plan-site', 'icon-allow-overlap': true, 'icon-ignore-placement': true,
        'text-field': ['to-string', ['get', 'n']], 'text-font': font, 'text-size': 14,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
    map.addLayer({
      id: 'results-badges', type: 'symbol', source: 'results',
      layout: {
        ...symbol,
        'icon-image': 'result-badge',
        'text-field': ['to-string', ['get', 'rank']], 'text-font': font, 'text-size': 14,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
  }

  bind() {
    const map = this.map;
    const hitLayers = () => ({
      find: ['results-badges', 'services-points', 'services-clusters'],
      coverage: ['coverage-fill', 'gaps-fill'],
      plan: ['plan-sites', 'services-points', 'services-clusters'],
    }[this.view] || []).filter((id) => map.getLayer(id));
    const near = (p, r) => [[p.x - r, p.y - r], [p.x + r, p.y + r]];
    // A service opens (or is picked, in the what-if view); a cluster zooms in; in every view.
    const serviceOrCluster = (hits, onService) => {
      const svc = hits.find((f) => f.layer.id === 'services-points');
      if (svc) {
        onService?.(svc.properties.id);
        return true;
      }
      const cluster = hits.find((f) => f.layer.id === 'services-clusters');
      if (cluster) {
        map.easeTo({ center: cluster.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, 14) });
        return true;
      }
      return false;
    };
    map.on('click', (e) => {
      const hits = map.queryRenderedFeatures(near(e.point, 6), { layers: hitLayers() });
      if (this.view === 'coverage') {
        const m = hits.find((f) => f.layer.id === 'coverage-fill' || f.layer.id === 'gaps-fill');
        if (m) this.handlers.onMunicipality?.(m.properties.code);
        return;
      }
      if (this.view === 'plan') {
        const s = hits.find((f) => f.layer.id === 'plan-sites');
        if (s) return this.handlers.onPlanSite?.(s.properties.n);
        if (serviceOrCluster(hits, this.handlers.onPlanService)) return;
        return this.handlers.onPlanPoint?.(e.lngLat, this.municipalityAt(e.point));
      }
      const result = hits.find((f) => f.layer.id === 'results-badges');
      if (result) return this.handlers.onResult?.(result.properties.id);
      if (serviceOrCluster(hits, this.handlers.onService)) return;
      this.handlers.onPlace?.(e.lngLat);
    });
    map.on('mousemove', (e) => {
      const hits = map.queryRenderedFeatures(near(e.point, 4), { layers: hitLayers() });
      map.getCanvas().style.cursor = hits.length ? 'pointer' : this.view === 'coverage' ? '' : 'crosshair';
    });
    map.on('zoomend', () => {
      if (this.results?.length) this.setResultData();
    });
    map.on('sourcedata', (e) => {
      if (e.sourceId === 'bussola' && e.isSourceLoaded) this.collectSeats();
      // Remember the TileJSON's tile URL, to add the filters to it.
      if (e.sourceId === 'bussola' && e.sourceDataType === 'metadata' && !this.baseTiles) {
        const src = map.getSource('bussola');
        if (src?.tiles?.length) {
          this.baseTiles = src.tiles.map((u) => u.split('?')[0]);
          this.applyFilters();
        }
      }
    });
  }

  /** The municipal seats, from the tiles' label points: code -> [lon, lat]. */
  collectSeats() {
    this.seats ??= new Map();
    for (const f of this.map.querySourceFeatures('bussola', { sourceLayer: 'municipality_labels' })) {
      const code = f.properties.code;
      if (code && !this.seats.has(code) && f.geometry.type === 'Point') this.seats.set(code, f.geometry.coordinates);
    }
  }

  /** A municipality's seat when the tiles gave it. */
  seat(code) {
    if (this.ready && !this.seats?.has(code)) this.collectSeats();
    return this.seats?.get(code) ?? null;
  }

  setVisible(ids, on) {
    for (const id of ids) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  }

  /** 'find', 'coverage' or 'plan'. */
  setView(view) {
    this.view = view;
    if (this.ready) this.applyView();
  }

  applyView() {
    const v = this.view;
    const on = new Set();
    const add = (ids) => ids.forEach((id) => on.add(id));
    if (v === 'find') add([...this.findLayers, ...PAGE_FIND_LAYERS]);
    else if (v === 'coverage') {
      add([...SHARED_COVERAGE_LAYERS, ...PAGE_COVERAGE_LAYERS]);
      if (this.measure === 'distance') {
        add(['gaps-fill', 'gaps-no-service']);
        if (this.distance.points && this.familyOf(this.distance.type)) add(['gaps-points']);
      } else add(RATE_LAYERS);
      // Any other layer of the coverage style shows with the rate.
      if (this.measure !== 'distance') add(this.coverageLayers);
    } else if (v === 'plan') {
      add([...PLAN_BASE_LAYERS, ...PAGE_PLAN_LAYERS]);
      if (this.plan.points && this.familyOf(this.plan.type)) add(['gaps-points']);
    }
    const all = [...this.findLayers, ...this.coverageLayers, ...(this.gapsLayers || []),
      ...PAGE_FIND_LAYERS, ...PAGE_COVERAGE_LAYERS, ...PAGE_PLAN_LAYERS];
    for (const id of new Set(all)) {
      if (!this.map.getLayer(id)) continue;
      const want = on.has(id) ? 'visible' : 'none';
      if (this.map.getLayoutProperty(id, 'visibility') !== want) this.map.setLayoutProperty(id, 'visibility', want);
    }
    if (v === 'plan') this.applyPoints(this.plan.type, this.plan.threshold, this.plan.sites);
    else if (v === 'coverage') this.applyPoints(this.distance.type, this.distance.threshold, []);
    this.map.getCanvas().style.cursor = v === 'coverage' ? '' : 'crosshair';
  }

  /** The coverage classes of an indicator: {breaks, colors, noData, target, rate, gapClass}. */
  classes(indicator = this.indicator) {
    const meta = this.coverageStyle?.metadata || {};
    const ind = meta['bussola:indicators']?.[indicator];
    if (!ind) return null;
    const target = this.targets[indicator] ?? ind.target;
    const scale = ind.target ? target / ind.target : 1;
    const breaks = ind.breaks.map((b) => Math.round(b * scale * 10) / 10);
    return {
      breaks, target, rate: ind.rate, gapClass: ind.gap_class,
      colors: meta['bussola:colors'], noData: meta['bussola:no_data_color'],
    };
  }

  setIndicator(indicator) {
    this.indicator = indicator;
    if (this.ready) this.applyIndicator();
  }

  applyIndicator() {
    const c = this.classes();
    if (!c || !this.map.getLayer('coverage-fill')) return;
    const step = ['step', ['to-number', ['get', c.rate]], c.colors[0]];
    c.breaks.forEach((b, i) => step.push(b, c.colors[i + 1]));
    this.map.setPaintProperty('coverage-fill', 'fill-color', ['case', ['!', ['has', c.rate]], c.noData, step]);
    const base = this.classes('elderly').gapClass;
    for (const id of ['coverage-no-places', 'coverage-below-regional']) {
      const layer = this.coverageStyle.layers.find((l) => l.id === id);
      if (layer?.filter && this.map.getLayer(id)) this.map.setFilter(id, swap(layer.filter, base, c.gapClass));
    }
  }

  // ------------------------------------------------------------ distance

  /** The tiles' family of a response code ({key, weight}) or null when the tiles do not carry it. */
  familyOf(type) {
    return this.gapsStyle?.metadata?.['bussola:families']?.[type] ?? null;
  }

  /** The classes of a distance measure ('share_beyond' or 'mean_km'): {breaks, colors, noData}. */
  distanceClasses(metric) {
    const meta = this.gapsStyle?.metadata || {};
    const m = meta['bussola:distance']?.[metric];
    if (!m) return null;
    return { breaks: m.breaks, colors: meta['bussola:colors'], noData: meta['bussola:no_data_color'] };
  }

  /** The colours of the population points: {near, beyond, far, reached, farFactor}. */
  pointColors() {
    const p = this.gapsStyle?.metadata?.['bussola:points'];
    return p ? { ...p, farFactor: p.far_factor ?? 2 } : null;
  }

  /** 'rate' (Carta Social's coverage) or 'distance' in the coverage view. */
  setMeasure(measure) {
    this.measure = measure;
    if (this.ready) this.applyView();
  }

  /**
   * The distance choropleth: `type` a response code, `metric` 'share_beyond' or 'mean_km',
   * `threshold` km, `rows` the /api/gaps municipalities of that type and threshold (or null
   * while they load), `points` whether to draw the population points.
   */
  setDistance(d) {
    this.distance = { ...this.distance, ...d };
    if (this.ready) {
      this.applyDistance();
      this.applyView();
    }
  }

  /** The value the choropleth draws for a municipality, as an expression (-1: none). */
  distanceValue() {
    const { type, metric, threshold, rows } = this.distance;
    const fam = this.familyOf(type);
    const tileThreshold = this.gapsStyle?.metadata?.['bussola:tile_threshold_km'] ?? 10;
    // The tiles carry the four families' indicators (the share at their threshold only).
    if (fam && (metric === 'mean_km' || Number(threshold) === tileThreshold)) {
      const prop = `${fam.key}_${metric}`;
      return { expr: ['case', ['has', prop], ['to-number', ['get', prop]], -1], from: 'tiles' };
    }
    if (!rows) return null;
    const match = ['match', ['get', 'code']];
    for (const r of rows) {
      const v = r[metric];
      match.push(r.code, v === null || v === undefined || Number.isNaN(v) ? -1 : Math.max(0, v));
    }
    match.push(-1);
    return { expr: rows.length ? match : -1, from: 'api' };
  }

  applyDistance() {
    if (!this.map?.getLayer('gaps-fill')) return;
    const c = this.distanceClasses(this.distance.metric);
    const v = this.distanceValue();
    if (!c) return;
    this.distanceFrom = v?.from ?? 'loading';
    if (!v) {
      this.map.setPaintProperty('gaps-fill', 'fill-color', c.noData);
      this.map.setFilter('gaps-no-service', ['!', true]);
      return;
    }
    const step = ['step', v.expr, c.colors[0]];
    c.breaks.forEach((b, i) => step.push(b, c.colors[i + 1]));
    this.map.setPaintProperty('gaps-fill', 'fill-color', ['case', ['<', v.expr, 0], c.noData, step]);
    this.map.setFilter('gaps-no-service', ['<', v.expr, 0]);
  }

  /** The population points of a family, coloured by the distance to its nearest service
   * (within the threshold, beyond it, beyond `far_factor` times it) and, in the what-if view,
   * those that a hypothetical site of the same type brings within the threshold. */
  applyPoints(type, threshold, sites) {
    const fam = this.familyOf(type);
    const p = this.pointColors();
    if (!fam || !p || !this.map?.getLayer('gaps-points')) return;
    const T = Number(threshold) || 10;
    const km = ['to-number', ['get', `${fam.key}_km`]];
    const w = ['to-number', ['get', fam.weight]];
    const own = (sites || []).filter((s) => s.type === type);
    const key = JSON.stringify([type, T, own.map((s) => [s.lon, s.lat])]);
    if (key === this.pointsKey) return;
    this.pointsKey = key;
    const color = ['case', ['<=', km, T], p.near.color];
    const stroke = ['case', ['<=', km, T], p.near.stroke];
    if (own.length) {
      const reach = ['<=', ['distance', { type: 'MultiPoint', coordinates: own.map((s) => [s.lon, s.lat]) }], T * 1000];
      color.push(reach, p.reached.color);
      stroke.push(reach, p.reached.stroke);
    }
    color.push(['<=', km, T * p.farFactor], p.beyond.color, p.far.color);
    stroke.push(['<=', km, T * p.farFactor], p.beyond.stroke, p.far.stroke);
    const r = (a, b) => ['+', a, ['*', b, ['sqrt', w]]];
    this.map.setFilter('gaps-points', ['all', ['has', `${fam.key}_km`], ['>', w, 0]]);
    this.map.setPaintProperty('gaps-points', 'circle-radius', ['interpolate', ['linear'], ['zoom'], 6, r(0.6, 0.1), 8, r(1.2, 0.16), 12, r(2.5, 0.45)]);
    this.map.setPaintProperty('gaps-points', 'circle-stroke-width', ['interpolate', ['linear'], ['zoom'], 6, 0.4, 9, 1]);
    this.map.setPaintProperty('gaps-points', 'circle-color', color);
    this.map.setPaintProperty('gaps-points', 'circle-stroke-color', stroke);
  }

  /** The municipality drawn under a pixel of the map: {code, name} or null. */
  municipalityAt(point) {
    const layers = ['municipalities-fill', 'coverage-fill', 'gaps-fill'].filter((id) => this.map.getLayer(id));
    const f = this.map.queryRenderedFeatures(point, { layers })[0];
    return f ? { code: f.properties.code, name: f.properties.name } : null;
  }

  // ------------------------------------------------------------ what-if

  /**
   * The what-if view: `type` of the sites to add (its services and population points are
   * shown), `sites` [{n, type, lon, lat}], `closed` [{id, lon, lat}], `threshold` km.
   */
  setPlan(p) {
    this.plan = { ...this.plan, ...p };
    if (this.ready) {
      this.applyPlan();
      if (this.view === 'plan') this.applyView();
    }
  }

  applyPlan() {
    const map = this.map;
    if (!map?.getSource('plan-sites')) return;
    const { sites, closed, threshold } = this.plan;
    const pt = (c, props) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: props });
    map.getSource('plan-sites').setData({ type: 'FeatureCollection', features: sites.map((s) => pt([s.lon, s.lat], { n: s.n, type: s.type })) });
    map.getSource('plan-closed').setData({ type: 'FeatureCollection', features: closed.filter((c) => Number.isFinite(c.lon)).map((c) => pt([c.lon, c.lat], { id: c.id })) });
    map.getSource('plan-rings').setData({
      type: 'FeatureCollection',
      features: sites.map((s) => ({ type: 'Feature', geometry: circle(s.lon, s.lat, Number(threshold) || 10), properties: { n: s.n } })),
    });
  }

  /** The centre of the map: {lon, lat}. */
  center() {
    if (!this.ready) return null;
    const c = this.map.getCenter();
    return { lon: c.lng, lat: c.lat };
  }

  /** Moves the map so the point is in view (keeps the zoom unless it is too far out). */
  show(lon, lat) {
    if (!this.ready) return;
    const b = this.map.getBounds();
    if (!b.contains([lon, lat])) this.map.easeTo({ center: [lon, lat], duration: 400 });
  }

  /** The letters of the groups change with the language (I = Idosos, E = Elderly); `labels`
   * {zoomIn, zoomOut, attribution, map} name MapLibre's controls. */
  setLang(lang, labels) {
    this.lang = lang;
    this.labels = labels;
    this.locale = {
      'NavigationControl.ZoomIn': labels.zoomIn,
      'NavigationControl.ZoomOut': labels.zoomOut,
      'AttributionControl.ToggleAttribution': labels.attribution,
      'Map.Title': labels.map,
    };
    if (!this.ready) return;
    this.applyLetters();
    const c = this.container;
    const label = (sel, text) => c.querySelectorAll(sel).forEach((el) => {
      el.setAttribute('aria-label', text);
      el.setAttribute('title', text);
    });
    label('.maplibregl-ctrl-zoom-in', labels.zoomIn);
    label('.maplibregl-ctrl-zoom-out', labels.zoomOut);
    label('.maplibregl-ctrl-attrib-button', labels.attribution);
    this.map.getCanvas().setAttribute('aria-label', labels.map);
  }

  applyLetters() {
    const groups = this.servicesStyle?.metadata?.['bussola:groups'];
    if (!groups || !this.map.getLayer('services-letters')) return;
    const expr = ['match', ['get', 'group']];
    for (const [code, g] of Object.entries(groups)) expr.push(code, g.letter?.[this.lang] ?? g.letter?.pt ?? '?');
    expr.push('?');
    this.map.setLayoutProperty('services-letters', 'text-field', expr);
  }

  /** Filters the services layer of the tiles (the query is added to the TileJSON's URL). */
  setFilters(filters) {
    this.filters = { ...filters };
    if (this.ready) this.applyFilters();
  }

  applyFilters() {
    const src = this.map.getSource('bussola');
    if (!src || !this.baseTiles) return;
    const q = new URLSearchParams();
    if (this.filters.group) q.set('group', this.filters.group);
    if (this.filters.type) q.set('type', this.filters.type);
    const qs = q.toString();
    const tiles = this.baseTiles.map((u) => (qs ? `${u}?${qs}` : u));
    if (JSON.stringify(src.tiles) === JSON.stringify(tiles)) return;
    src.setTiles(tiles);
  }

  /** Shows where the search was made from and its results, numbered, and fits them in view. */
  showResults(origin, features, selectedId) {
    if (!this.ready) return;
    this.map.getSource('origin').setData(origin
      ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [origin.lon, origin.lat] }, properties: {} }] }
      : EMPTY);
    this.results = features;
    this.setResultData(selectedId);
    if (!origin) return;
    const b = new this.lib.LngLatBounds([origin.lon, origin.lat], [origin.lon, origin.lat]);
    for (const f of features) b.extend(f.geometry.coordinates);
    this.map.fitBounds(b, { padding: this.padding(), maxZoom: 13, duration: 600 });
  }

  /** The numbered badges, moved apart where they would overlap at this zoom, with a line
   * back to the true position of those moved. */
  setResultData(selectedId = this.selectedId) {
    this.selectedId = selectedId;
    const map = this.map;
    const results = this.results || [];
    const points = results.map((f) => map.project(f.geometry.coordinates));
    const offsets = declutter(points);
    const shown = points.map((p, i) => {
      if (!offsets[i][0] && !offsets[i][1]) return results[i].geometry.coordinates;
      const ll = map.unproject([p.x + offsets[i][0], p.y + offsets[i][1]]);
      return [ll.lng, ll.lat];
    });
    const features = results.map((f, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: shown[i] },
      properties: { id: f.properties.id, rank: i + 1, selected: f.properties.id === selectedId },
    }));
    map.getSource('results').setData({ type: 'FeatureCollection', features });
    const leaders = results
      .map((f, i) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: [f.geometry.coordinates, shown[i]] }, properties: {} }))
      .filter((_, i) => Math.hypot(offsets[i][0], offsets[i][1]) > 12);
    map.getSource('result-leaders').setData({ type: 'FeatureCollection', features: leaders });
  }

  /** Highlights a result and centres it. */
  selectResult(id, { fly = true } = {}) {
    if (!this.ready) return;
    this.setResultData(id);
    const f = (this.results || []).find((r) => r.properties.id === id);
    if (f && fly) this.map.easeTo({ center: f.geometry.coordinates, zoom: Math.max(this.map.getZoom(), 13), duration: 500 });
  }

  /** Centres a point (a service chosen outside the results). */
  flyTo(coords) {
    if (this.ready) this.map.easeTo({ center: coords, zoom: Math.max(this.map.getZoom(), 13), duration: 500 });
  }

  /** Outlines a municipality (coverage view) and fits it when `bbox` is given. */
  selectMunicipality(code, bbox) {
    if (!this.ready) return;
    this.map.setFilter('municipality-selected', ['==', ['get', 'code'], code || '']);
    if (bbox) this.map.fitBounds(bbox, { padding: this.padding(), maxZoom: 10, duration: 500 });
  }

  /** Shows the whole region. */
  fitRegion() {
    if (this.ready && this.bbox) this.map.fitBounds(this.bbox, { padding: this.padding(), duration: 500 });
  }

  /** Room for the controls and the attribution around what is fitted. */
  padding() {
    const small = this.container.clientWidth < 640;
    // Room for an open legend over the map's left side (the coverage view on wide screens).
    const inset = small ? 0 : Math.min(this.legendInset || 0, this.container.clientWidth / 3);
    return small ? { top: 50, bottom: 40, left: 20, right: 50 } : { top: 60, bottom: 80, left: 40 + inset, right: 60 };
  }

  resize() {
    if (this.ready) this.map.resize();
  }
}
