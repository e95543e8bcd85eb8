// The professionals view on the map: the training offers, numbered as in the list (green
// squares, unlike the find view's black ones), the point they are nearest to, and the chosen one.
import { badge } from './map-images.js';
import { EMPTY } from './map-page-layers.js';

export const PAGE_PRO_LAYERS = ['training-origin-ring', 'training-origin-dot', 'training-selected', 'training-badges'];

const point = (coordinates, properties = {}) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties });

/** BussolaMap's methods for the training offers. */
export const trainingMethods = {
  /** The sources and layers (after the style has loaded), hidden until the view shows them. */
  addTrainingLayers() {
    const map = this.map;
    const font = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Arial Bold'];
    map.addSource('training', { type: 'geojson', data: EMPTY });
    map.addSource('training-origin', { type: 'geojson', data: EMPTY });
    const b = badge(28, '#00563f', '#ffffff', 2.5);
    map.addImage('training-badge', b.image, { pixelRatio: b.pixelRatio });
    const sel = badge(40, '#f0e442', '#000000', 2);
    if (!map.hasImage('result-selected')) map.addImage('result-selected', sel.image, { pixelRatio: sel.pixelRatio });
    map.addLayer({
      id: 'training-origin-ring', type: 'circle', source: 'training-origin', layout: { visibility: 'none' },
      paint: { 'circle-radius': 12, 'circle-color': '#ffffff', 'circle-stroke-color': '#a10000', 'circle-stroke-width': 4 },
    });
    map.addLayer({
      id: 'training-origin-dot', type: 'circle', source: 'training-origin', layout: { visibility: 'none' },
      paint: { 'circle-radius': 4, 'circle-color': '#a10000' },
    });
    const symbol = { 'icon-allow-overlap': true, 'icon-ignore-placement': true, 'symbol-sort-key': ['-', 0, ['get', 'rank']] };
    map.addLayer({
      id: 'training-selected', type: 'symbol', source: 'training', filter: ['==', ['get', 'selected'], true],
      layout: { ...symbol, visibility: 'none', 'icon-image': 'result-selected' },
    });
    map.addLayer({
      id: 'training-badges', type: 'symbol', source: 'training',
      layout: {
        ...symbol, visibility: 'none', 'icon-image': 'training-badge',
        'text-field': ['to-string', ['get', 'rank']], 'text-font': font, 'text-size': 14,
        'text-allow-overlap': true, 'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    });
  },

  /** The point and the placed offers ([{f, rank}]); `fit` brings them into view. */
  showTraining(origin, offers, selectedId, { fit = false } = {}) {
    this.training = { origin, offers, selectedId };
    if (!this.ready) return;
    this.map.getSource('training-origin').setData(origin
      ? { type: 'FeatureCollection', features: [point([origin.lon, origin.lat])] } : EMPTY);
    this.setTrainingData();
    if (!fit || this.view !== 'pro') return;
    const coords = offers.map((o) => o.f.geometry.coordinates).slice(0, origin ? 5 : offers.length);
    if (origin) coords.push([origin.lon, origin.lat]);
    if (!coords.length) return;
    const b = new this.lib.LngLatBounds(coords[0], coords[0]);
    for (const c of coords) b.extend(c);
    this.map.fitBounds(b, { padding: this.padding(), maxZoom: 12, duration: 600 });
  },

  setTrainingData() {
    const { offers = [], selectedId = null } = this.training || {};
    this.map.getSource('training').setData({
      type: 'FeatureCollection',
      features: offers.map(({ f, rank }) => point(f.geometry.coordinates, { id: f.properties.id, rank, selected: f.properties.id === selectedId })),
    });
  },

  /** Highlights an offer and, with `fly`, centres it. */
  selectTraining(id, { fly = false } = {}) {
    if (!this.training) return;
    this.training.selectedId = id;
    if (!this.ready) return;
    this.setTrainingData();
    const o = this.training.offers.find((x) => x.f.properties.id === id);
    if (o && fly) this.map.easeTo({ center: o.f.geometry.coordinates, zoom: Math.max(this.map.getZoom(), 12), duration: 500 });
  },
};
