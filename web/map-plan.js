// The what-if view on the map: the hypothetical sites, the rings of the threshold around
// them, and the services whose closing is simulated.

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

/** BussolaMap's methods for a what-if scenario's sites and closures. */
export const planMethods = {
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
  },

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
  },
};
