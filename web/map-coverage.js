// The coverage view's rate choropleth on the map: its classes (from the coverage style's
// metadata, scaled to the region's targets) and the indicator it draws.

/** Replaces every string `from` by `to` inside a style expression. */
function swap(expr, from, to) {
  if (Array.isArray(expr)) return expr.map((e) => swap(e, from, to));
  return expr === from ? to : expr;
}

/** BussolaMap's methods for the coverage rate choropleth. */
export const coverageMethods = {
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
  },

  setIndicator(indicator) {
    this.indicator = indicator;
    if (this.ready) this.applyIndicator();
  },

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
  },
};
