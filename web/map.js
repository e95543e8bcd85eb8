// The map: MapLibre (loaded on demand, so the form and the list work before it arrives and
// without it), which layers each view shows, the controls' labels and the tiles' filters. The
// styles, the page's layers, results, coverage, distance and what-if are in map-*.js.
import { preload, styleMethods } from './map-style.js';
import { hatch } from './map-images.js';
import { pageLayerMethods } from './map-page-layers.js';
import { resultMethods } from './map-results.js';
import { coverageMethods } from './map-coverage.js';
import { distanceMethods } from './map-distance.js';
import { planMethods } from './map-plan.js';
import { trainingMethods, PAGE_PRO_LAYERS } from './map-training.js';

export { preload };
export { circle } from './map-plan.js';

const PAGE_FIND_LAYERS = ['origin-ring', 'origin-dot', 'result-leaders', 'results-selected', 'results-badges'];
const PAGE_COVERAGE_LAYERS = ['municipality-selected'];
const PAGE_PLAN_LAYERS = ['plan-rings', 'plan-closed', 'plan-sites'];
// The layers of the services style that the what-if view shows (to pick a service to close).
const PLAN_BASE_LAYERS = ['municipalities-fill', 'municipalities-outline', 'municipality-labels',
  'services-clusters', 'services-cluster-count', 'services-approximate', 'services-points', 'services-letters'];
// The layers of the services style that the professionals view shows under the offers.
const PRO_BASE_LAYERS = ['municipalities-fill', 'municipalities-outline', 'municipality-labels'];
const RATE_LAYERS = ['coverage-fill', 'coverage-no-places', 'coverage-below-regional'];
const SHARED_COVERAGE_LAYERS = ['coverage-municipalities-outline', 'coverage-municipality-labels'];

export class BussolaMap {
  /**
   * @param {HTMLElement} container
   * @param {object} handlers onPlace(lngLat), onService(id), onResult(id), onMunicipality(code),
   *   onPlan…, onOffer(id) and onProPoint(lngLat) (the professionals view), onTrendsMunicipality(code)
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
    this.baseOn = true;
    this.ready = false;
  }

  /** Loads MapLibre and the styles and shows the map; rejects when the map cannot be shown. */
  async init({ bbox, attribution, targets, baseSwitch }) {
    this.bbox = bbox;
    const [maplibregl, services, coverage, , gaps, base] = await preload();
    this.lib = maplibregl.default ?? maplibregl;
    this.servicesStyle = services;
    this.coverageStyle = coverage;
    this.gapsStyle = gaps;
    this.targets = targets || {};
    const style = this.merge(services, coverage, gaps, base);

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
    // The base map's switch (the page's own element) under the zoom buttons.
    if (baseSwitch) {
      map.addControl({
        onAdd: () => { baseSwitch.classList.add('maplibregl-ctrl', 'maplibregl-ctrl-group'); return baseSwitch; },
        onRemove: () => {},
      }, 'top-right');
    }
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
    this.addTrainingLayers();
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
    if (this.training) this.showTraining(this.training.origin, this.training.offers, this.training.selectedId);
    return map;
  }

  bind() {
    const map = this.map;
    const hitLayers = () => ({
      find: ['results-badges', 'services-points', 'services-clusters'],
      coverage: ['coverage-fill', 'gaps-fill'],
      plan: ['plan-sites', 'services-points', 'services-clusters'],
      pro: ['training-badges'],
      trends: ['coverage-fill'],
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
      if (this.view === 'coverage' || this.view === 'trends') {
        const m = hits.find((f) => f.layer.id === 'coverage-fill' || f.layer.id === 'gaps-fill');
        const on = this.view === 'trends' ? this.handlers.onTrendsMunicipality : this.handlers.onMunicipality;
        if (m) on?.(m.properties.code);
        return;
      }
      if (this.view === 'plan') {
        const s = hits.find((f) => f.layer.id === 'plan-sites');
        if (s) return this.handlers.onPlanSite?.(s.properties.n);
        if (serviceOrCluster(hits, this.handlers.onPlanService)) return;
        return this.handlers.onPlanPoint?.(e.lngLat, this.municipalityAt(e.point));
      }
      if (this.view === 'pro') {
        const offer = hits.find((f) => f.layer.id === 'training-badges');
        return offer ? this.handlers.onOffer?.(offer.properties.id) : this.handlers.onProPoint?.(e.lngLat);
      }
      const result = hits.find((f) => f.layer.id === 'results-badges');
      if (result) return this.handlers.onResult?.(result.properties.id);
      if (serviceOrCluster(hits, this.handlers.onService)) return;
      this.handlers.onPlace?.(e.lngLat);
    });
    map.on('mousemove', (e) => {
      const hits = map.queryRenderedFeatures(near(e.point, 4), { layers: hitLayers() });
      map.getCanvas().style.cursor = hits.length ? 'pointer' : ['coverage', 'trends'].includes(this.view) ? '' : 'crosshair';
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

  /** 'find', 'coverage', 'plan', 'pro' or 'trends'. */
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
    } else if (v === 'pro') add([...PRO_BASE_LAYERS, ...PAGE_PRO_LAYERS]);
    else if (v === 'trends') add([...SHARED_COVERAGE_LAYERS, ...PAGE_COVERAGE_LAYERS, ...RATE_LAYERS, ...this.coverageLayers]);
    const all = [...this.findLayers, ...this.coverageLayers, ...(this.gapsLayers || []),
      ...PAGE_FIND_LAYERS, ...PAGE_COVERAGE_LAYERS, ...PAGE_PLAN_LAYERS, ...PAGE_PRO_LAYERS];
    for (const id of new Set(all)) {
      if (!this.map.getLayer(id)) continue;
      const want = on.has(id) ? 'visible' : 'none';
      if (this.map.getLayoutProperty(id, 'visibility') !== want) this.map.setLayoutProperty(id, 'visibility', want);
    }
    if (v === 'plan') this.applyPoints(this.plan.type, this.plan.threshold, this.plan.sites);
    else if (v === 'coverage') this.applyPoints(this.distance.type, this.distance.threshold, []);
    this.map.getCanvas().style.cursor = v === 'coverage' || v === 'trends' ? '' : 'crosshair';
  }

  /** The municipality drawn under a pixel of the map: {code, name} or null. */
  municipalityAt(point) {
    const layers = ['municipalities-fill', 'coverage-fill', 'gaps-fill'].filter((id) => this.map.getLayer(id));
    const f = this.map.queryRenderedFeatures(point, { layers })[0];
    return f ? { code: f.properties.code, name: f.properties.name } : null;
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
    if (this.filters.subarea) q.set('subarea', this.filters.subarea);
    if (this.filters.type) q.set('type', this.filters.type);
    const qs = q.toString();
    const tiles = this.baseTiles.map((u) => (qs ? `${u}?${qs}` : u));
    if (JSON.stringify(src.tiles) === JSON.stringify(tiles)) return;
    src.setTiles(tiles);
  }

  /** Outlines a municipality (coverage view) and fits it when `bbox` is given. */
  selectMunicipality(code, bbox) {
    if (!this.ready) return;
    this.map.setFilter('municipality-selected', ['==', ['get', 'code'], code || '']);
    if (bbox) this.map.fitBounds(bbox, { padding: this.padding(), maxZoom: 10, duration: 500 });
  }

  /** Shows the whole region. */
  /** Fits the map to the chosen sub-region, else to the whole region. */
  fitRegion() {
    const box = this.focus || this.bbox;
    if (this.ready && box) this.map.fitBounds(box, { padding: this.padding(), duration: 500 });
  }

  /** The part of the region to fit to (a bbox), or null for all of it; fits at once. */
  setFocus(bbox) {
    this.focus = bbox;
    this.fitRegion();
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

// The methods of each concern live in their own module.
Object.assign(BussolaMap.prototype, styleMethods, pageLayerMethods, resultMethods,
  coverageMethods, distanceMethods, planMethods, trainingMethods);
