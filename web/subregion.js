// The sub-region choice: a region served as several parts (the default: Alentejo's five NUTS III)
// opens on all of them; choosing one fits the map to it and limits the coverage figures to it.
import { t } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { state, bmap } from './page-state.js';

/** Fills the choice from /api/region's parts; hidden when the region has only one. */
export function renderSubregions(onChange) {
  const parts = state.region?.regions || [];
  const field = $('subregion-field');
  field.hidden = parts.length < 2;
  if (parts.length < 2) return;
  const select = $('subregion-select');
  replace(select, [
    h('option', { value: '' }, t('subregion.all', { name: state.region.name, n: state.region.municipalities })),
    ...parts.map((p) => h('option', { value: p.id }, t('subregion.one', { name: p.name, n: p.municipalities }))),
  ]);
  select.value = state.subregion || '';
  select.onchange = () => {
    state.subregion = select.value || null;
    fitSubregion();
    onChange();
  };
}

/** The chosen part's name, else the whole region's. */
export function subregionName() {
  const part = (state.region?.regions || []).find((p) => p.id === state.subregion);
  return part?.name || state.region?.name || '';
}

/** The bounding box of the chosen part's municipalities (null for the whole region). */
export function subregionBbox() {
  if (!state.subregion) return null;
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const m of state.municipalities) {
    if (m.props.region !== state.subregion || !m.bbox) continue;
    bbox[0] = Math.min(bbox[0], m.bbox[0]);
    bbox[1] = Math.min(bbox[1], m.bbox[1]);
    bbox[2] = Math.max(bbox[2], m.bbox[2]);
    bbox[3] = Math.max(bbox[3], m.bbox[3]);
  }
  return Number.isFinite(bbox[0]) ? bbox : null;
}

function fitSubregion() {
  bmap?.setFocus(subregionBbox());
}
