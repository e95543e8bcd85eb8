// The map page's state, shared by its modules: what is searched, shown and chosen, and the
// map once it has started (null before, and when MapLibre cannot load).

export const K_STEP = 10;
export const K_MAX = 100;

export const state = {
  view: 'find',
  region: null,
  subregion: null, // the id of the part of the region chosen, null for all of it
  taxonomy: null,
  municipalities: [], // [{code, name, folded, point: [lon, lat], bbox, props}]
  group: '',
  subarea: '', // Carta Social's target population (vt), finer than the group
  type: '',
  search: null, // {lon, lat, k, type, group, subarea, how: 'location'|'point'|'municipality', place}
  results: null, // FeatureCollection of the last search
  status: null, // {kind, ...} the last status message, re-rendered on language change
  selectedId: null,
  selectedFeature: null, // a service chosen on the map that is not in the results
  chosen: [], // ids ticked for the sheet to hand over, in the order ticked (listed in the list's order)
  note: '', // the helper's note for the sheet
  indicator: 'elderly',
  coverage: {}, // `${indicator}|${subregion}` -> report
  municipality: null, // code chosen in the coverage view
  measure: 'rate', // the coverage view: 'rate' (Carta Social) or 'distance'
  gap: {
    type: 'ERPI', metric: 'share_beyond', threshold: 10, points: false,
    sort: { key: 'share_beyond', dir: 'desc' }, // ranked by the gap
    reports: {}, // `${type}|${threshold}` -> /api/gaps report
  },
  plan: {
    type: 'ERPI', capacity: 40, threshold: 10, points: true,
    sites: [], closed: [], next: 1, services: {}, outcome: null, body: null,
  },
  pro: {
    profile: '', audience: '', from: '', to: '', municipality: '', order: 'near',
    near: null, // {lon, lat, how: 'point'|'location'}: the training's nearest-first point
    results: null, status: null, selectedId: null,
    profiles: null, // /api/profiles' list, once loaded
    loaded: false, // whether the view's lists were asked for
  },
  trends: {
    municipality: '', // the code shown (the coverage view's choice, else the first)
    topic: 'coverage', // trends.js' topics(): coverage, places:<CODE>, distance:<CODE>, stale
    from: '', to: '', // the period (days; empty: from the first point, to today)
    allChanges: false, // what changed: in every municipality, not only the one shown
    data: null, // the last series drawn: {of, topic, series}
    snapshotsAsked: false, // whether the data package's snapshots were asked for
  },
};

export const VIEWS = ['find', 'coverage', 'plan', 'pro', 'trends'];

/** The BussolaMap (set by the page's start); read it as `bmap?.…`. */
export let bmap = null;

/** Sets the page's map. */
export function setMap(map) {
  bmap = map;
}
