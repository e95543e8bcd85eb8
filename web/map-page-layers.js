// The page's own sources and layers on top of the styles: the search origin, the numbered
// results, the chosen municipality's outline and the what-if's sites, rings and closures.
import { badge, diamond, cross } from './map-images.js';

export const EMPTY = { type: 'FeatureCollection', features: [] };

/** BussolaMap's method that adds the page's layers (after the style has loaded). */
export const pageLayerMethods = {
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
  },
};
