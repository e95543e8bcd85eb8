// The coverage view's distance measure on the map: the distance choropleth (from the tiles or
// the API's figures) and the population points coloured by their distance to care.

/** BussolaMap's methods for the distance choropleth and the population points. */
export const distanceMethods = {
  /** The tiles' family of a response code ({key, weight}) or null when the tiles do not carry it. */
  familyOf(type) {
    return this.gapsStyle?.metadata?.['bussola:families']?.[type] ?? null;
  },

  /** The classes of a distance measure ('share_beyond' or 'mean_km'): {breaks, colors, noData}. */
  distanceClasses(metric) {
    const meta = this.gapsStyle?.metadata || {};
    const m = meta['bussola:distance']?.[metric];
    if (!m) return null;
    return { breaks: m.breaks, colors: meta['bussola:colors'], noData: meta['bussola:no_data_color'] };
  },

  /** The colours of the population points: {near, beyond, far, reached, farFactor}. */
  pointColors() {
    const p = this.gapsStyle?.metadata?.['bussola:points'];
    return p ? { ...p, farFactor: p.far_factor ?? 2 } : null;
  },

  /** 'rate' (Carta Social's coverage) or 'distance' in the coverage view. */
  setMeasure(measure) {
    this.measure = measure;
    if (this.ready) this.applyView();
  },

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
  },

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
  },

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
  },

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
  },
};
