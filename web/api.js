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
  coverage: (indicator) => getJSON(`/api/coverage${query({ indicator })}`),
  /** Municipalities and localities whose names contain the typed words (accent-insensitive). */
  places: (q, limit = 8) => getJSON(`/api/places${query({ q, limit })}`),
  service: (id) => getJSON(`/api/services/${encodeURIComponent(id)}`),
  /** {lon, lat, k, type, group} -> FeatureCollection, nearest first. */
  nearest: (p) => getJSON(`/api/nearest${query({ lon: p.lon, lat: p.lat, k: p.k, type: p.type, group: p.group })}`, { cached: false }),
};
