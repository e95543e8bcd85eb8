// The search on the map: its origin and numbered results, pushed apart where they would
// overlap, and the selected result.
import { EMPTY } from './map-page-layers.js';

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

/** BussolaMap's methods for the search's origin and results. */
export const resultMethods = {
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
  },

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
  },

  /** Highlights a result and centres it. */
  selectResult(id, { fly = true } = {}) {
    if (!this.ready) return;
    this.setResultData(id);
    const f = (this.results || []).find((r) => r.properties.id === id);
    if (f && fly) this.map.easeTo({ center: f.geometry.coordinates, zoom: Math.max(this.map.getZoom(), 13), duration: 500 });
  },

  /** Centres a point (a service chosen outside the results). */
  flyTo(coords) {
    if (this.ready) this.map.easeTo({ center: coords, zoom: Math.max(this.map.getZoom(), 13), duration: 500 });
  },
};
