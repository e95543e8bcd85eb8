// The JSON API of the Bússola server (same origin). Answers are cached per URL for the session,
// except /api/nearest, which is cheap and always asked again.

const cache = new Map();

/** An error with the server's message and the HTTP status (0 when the network failed). */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function getJSON(url, { cached = true, timeout = 20000 } = {}) {
  if (cached && cache.has(url)) return cache.get(url);
  const run = (async () => {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeout);
    let res;
    try {
      res = await fetch(url, { signal: ctl.signal, headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new ApiError(e.name === 'AbortError' ? 'timeout' : 'network', 0);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      let msg = `HTTP ${res.status}`;
      try {
        msg = (await res.json()).error || msg;
      } catch { /* not JSON */ }
      throw new ApiError(msg, res.status);
    }
    return res.json();
  })();
  if (cached) {
    cache.set(url, run);
    run.catch(() => cache.delete(url));
  }
  return run;
}

async function postJSON(url, body, { signal, timeout = 20000 } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout);
  signal?.addEventListener('abort', () => ctl.abort());
  let res;
  try {
    res = await fetch(url, {
      method: 'POST', signal: ctl.signal, body: JSON.stringify(body),
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
  } catch (e) {
    throw new ApiError(signal?.aborted ? 'aborted' : e.name === 'AbortError' ? 'timeout' : 'network', 0);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    let parameter = null;
    try {
      const j = await res.json();
      msg = j.error || msg;
      parameter = j.parameter || null;
    } catch { /* not JSON */ }
    const err = new ApiError(msg, res.status);
    err.parameter = parameter;
    throw err;
  }
  return res.json();
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  region: () => getJSON('/api/region'),
  taxonomy: () => getJSON('/api/taxonomy'),
  municipalities: () => getJSON('/api/municipalities'),
  /** The coverage report of an indicator, for one sub-region (its id) or all (null). */
  coverage: (indicator, region) => getJSON(`/api/coverage${query({ indicator, region })}`),
  /** Municipalities and localities whose names contain the typed words (accent-insensitive). */
  places: (q, limit = 8) => getJSON(`/api/places${query({ q, limit })}`),
  service: (id) => getJSON(`/api/services/${encodeURIComponent(id)}`),
  /** Distance indicators of response types (codes) at a threshold: the gap report. */
  gaps: (types, threshold) => getJSON(`/api/gaps${query({ type: [].concat(types).join(','), threshold_km: threshold })}`),
  /** The gap report as CSV (a link, not fetched here). */
  gapsCsvUrl: (types, threshold) => `/api/gaps${query({ type: [].concat(types).join(','), threshold_km: threshold, format: 'csv' })}`,
  coverageCsvUrl: (indicator, region) => `/api/coverage${query({ indicator, region, format: 'csv' })}`,
  /** How many services match a filter (municipality, type, group, subarea). */
  count: (p) => getJSON(`/api/services${query({
    municipality: p.municipality, type: p.type, group: p.group, subarea: p.subarea, limit: 1,
  })}`, { cached: false }).then((fc) => fc.numberMatched),
  /** The services of a municipality (all of them, page by page of 500). */
  municipalityServices: async (code) => {
    const first = await getJSON(`/api/services${query({ municipality: code, limit: 500 })}`);
    const features = [...first.features];
    while (features.length < first.numberMatched) {
      const next = await getJSON(`/api/services${query({ municipality: code, limit: 500, offset: features.length })}`);
      if (!next.features.length) break;
      features.push(...next.features);
    }
    return { ...first, features, numberReturned: features.length };
  },
  /** A what-if scenario (nothing is stored): POST /api/scenarios. */
  scenario: (body, { signal } = {}) => postJSON('/api/scenarios', body, { signal }),
  /** A citizen's report that a service's record is wrong: POST /api/services/{id}/feedback. */
  report: (id, body) => postJSON(`/api/services/${encodeURIComponent(id)}/feedback`, body),
  /** The usefulness survey's questions for an audience (`public`, `provider`). */
  survey: (audience) => getJSON(`/api/survey${query({ audience })}`),
  /** An answer set: POST /api/survey {audience, answers: {question_id: value}}. */
  answerSurvey: (body) => postJSON('/api/survey', body),
  /** The professional profiles of the sector (CNQ), with the responses that employ them. */
  profiles: () => getJSON('/api/profiles'),
  /** Training offers: {profile, audience, municipality, from, to, near: 'lon,lat', limit} ->
   * FeatureCollection (nearest first with `near`, online-only offers last). */
  training: (p) => getJSON(`/api/training${query({
    profile: p.profile, audience: p.audience, municipality: p.municipality, from: p.from, to: p.to, near: p.near, limit: p.limit,
  })}`, { cached: false }),
  /** The public services useful to professionals, national ones and the municipality's. */
  publicServices: (municipality) => getJSON(`/api/public-services${query({ municipality })}`),
  /** The news, newest first. */
  news: (municipality, limit = 10) => getJSON(`/api/news${query({ municipality, limit })}`, { cached: false }),
  /** One indicator of one area over time (GET /api/trends): {points, references, area}. Asked
   * again each time (points are recorded after every change). */
  trends: (indicator, area, from, to) => getJSON(`/api/trends${query({ indicator, area, from, to })}`, { cached: false }),
  /** The same series as CSV (a link, not fetched here). */
  trendsCsvUrl: (indicator, area, from, to) => `/api/trends${query({ indicator, area, from, to, format: 'csv' })}`,
  /** What changed between two days (GET /api/changes/summary), per municipality. */
  changes: (p) => getJSON(`/api/changes/summary${query({ from: p.from, to: p.to, municipality: p.municipality, region: p.region })}`, { cached: false }),
  changesCsvUrl: (p) => `/api/changes/summary${query({ from: p.from, to: p.to, municipality: p.municipality, region: p.region, format: 'csv' })}`,
  /** The data package's dated snapshots kept: {kept, snapshots: [{date, version, file, bytes, url}]}. */
  snapshots: () => getJSON('/api/datapackage/snapshots', { cached: false }),
  /** {lon, lat, k, type, group, subarea} -> FeatureCollection, nearest first. */
  nearest: (p) => getJSON(`/api/nearest${query({
    lon: p.lon, lat: p.lat, k: p.k, type: p.type, group: p.group, subarea: p.subarea, municipality: p.municipality,
  })}`, { cached: false }),
};
