// The map: MapLibre (loaded on demand, so the form and the list work before it arrives and
// without it), the two styles merged into one map, and the page's own layers (the search
// origin, the numbered results, the chosen municipality).

const VENDOR = '/vendor/maplibre-gl/';
const EMPTY = { type: 'FeatureCollection', features: [] };
const PAGE_FIND_LAYERS = ['origin-ring', 'origin-dot', 'result-leaders', 'results-selected', 'results-badges'];
const PAGE_COVERAGE_LAYERS = ['municipality-selected'];

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
    this.ready = false;
  }

  /** Loads MapLibre and the styles and shows the map; rejects when the map cannot be shown. */
  async init({ bbox, attribution, targets }) {
    this.bbox = bbox;
    const [maplibregl, services, coverage] = await preload();
    this.lib = maplibregl.default ?? maplibregl;
    this.servicesStyle = services;
    this.coverageStyle = coverage;
    this.targets = targets || {};
    const style = this.merge(services, coverage);

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
    this.applyView();
    this.applyIndicator();
    this.applyLetters();
    this.applyFilters();
    return map;
  }

  /** The services style with the coverage style's layers after its municipality fill, hidden. */
  merge(services, coverage) {
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
    return style;
  }

  addPageLayers() {
    const map = this.map;
    const font = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Arial Bold'];
    map.addSource('origin', { type: 'geojson', data: EMPTY });
    map.addSource('results', { type: 'geojson', data: EMPTY });
    map.addSource('result-leaders', { type: 'geojson', data: EMPTY });
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
    const hitLayers = () => (this.view === 'find'
      ? ['results-badges', 'services-points', 'services-clusters']
      : ['coverage-fill']).filter((id) => map.getLayer(id));
    const near = (p, r) => [[p.x - r, p.y - r], [p.x + r, p.y + r]];
    map.on('click', (e) => {
      const hits = map.queryRenderedFeatures(near(e.point, 6), { layers: hitLayers() });
      if (this.view === 'coverage') {
        const m = hits.find((f) => f.layer.id === 'coverage-fill');
        if (m) this.handlers.onMunicipality?.(m.properties.code);
        return;
      }
      const result = hits.find((f) => f.layer.id === 'results-badges');
      if (result) return this.handlers.onResult?.(result.properties.id);
      const svc = hits.find((f) => f.layer.id === 'services-points');
      if (svc) return this.handlers.onService?.(svc.properties.id);
      const cluster = hits.find((f) => f.layer.id === 'services-clusters');
      if (cluster) {
        map.easeTo({ center: cluster.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, 14) });
        return;
      }
      this.handlers.onPlace?.(e.lngLat);
    });
    map.on('mousemove', (e) => {
      const hits = map.queryRenderedFeatures(near(e.point, 4), { layers: hitLayers() });
      map.getCanvas().style.cursor = hits.length ? 'pointer' : this.view === 'find' ? 'crosshair' : '';
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

  /** 'find' or 'coverage'. */
  setView(view) {
    this.view = view;
    if (this.ready) this.applyView();
  }

  applyView() {
    const find = this.view === 'find';
    this.setVisible([...this.findLayers, ...PAGE_FIND_LAYERS], find);
    this.setVisible([...this.coverageLayers, ...PAGE_COVERAGE_LAYERS], !find);
    this.map.getCanvas().style.cursor = find ? 'crosshair' : '';
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
    if (JSON.stringify(src.tiles) !== JSON.stringify(tiles)) src.setTiles(tiles);
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
    return small ? { top: 50, bottom: 40, left: 20, right: 50 } : { top: 60, bottom: 80, left: 40, right: 60 };
  }

  resize() {
    if (this.ready) this.map.resize();
  }
}
