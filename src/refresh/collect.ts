/**
 * Collecting CPU profiles from running Go programs over `net/http/pprof`
 * (`/debug/pprof/profile?seconds=N`), from several endpoints at once.
 *
 * Each endpoint gets a deadline of `seconds + marginSeconds`, a response size cap, and its own
 * result: the profile bytes (checked to be a pprof profile the compiler can read), or one clear
 * error (unreachable, HTTP status, timeout, too large, not a profile). Everything stops when the
 * AbortSignal fires.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isProfileError } from '../profile/errors';
import { loadProfileBytes } from '../pgo/load';

export interface CollectOptions {
  /** Profile duration asked of each endpoint (default 30, like `go tool pprof`). */
  seconds?: number;
  /** Extra time allowed beyond `seconds` for connecting and transferring (default 10). */
  marginSeconds?: number;
  /** Largest accepted response body (default 256 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (endpoint: string, event: CollectProgress) => void;
}

export type CollectProgress =
  | { phase: 'connecting' }
  | { phase: 'profiling'; seconds: number }
  | { phase: 'receiving'; bytes: number }
  | { phase: 'done'; bytes: number; samples: number }
  | { phase: 'failed'; error: string };

export type CollectResult =
  | { endpoint: string; url: string; ok: true; bytes: Buffer; samples: number; ms: number }
  | { endpoint: string; url: string; ok: false; error: string; ms: number };

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The profile URL for an endpoint: `host:port` or a base URL gets
 * `/debug/pprof/profile?seconds=N`; a URL with a path other than `/` is used as given, with
 * `seconds` set.
 */
export function profileUrl(endpoint: string, seconds: number): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new Error(`not a URL or host:port: ${JSON.stringify(endpoint)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported scheme ${u.protocol} in ${endpoint} (use http or https)`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/debug/pprof/profile';
  u.searchParams.set('seconds', String(seconds));
  return u;
}

function describeNetError(e: NodeJS.ErrnoException, url: URL): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `unreachable: connection refused by ${url.host} (is the program running, with net/http/pprof on this port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unreachable: cannot resolve host ${url.hostname}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `unreachable: no route to ${url.host}`;
    case 'ECONNRESET':
      return `connection reset by ${url.host} before the profile was complete`;
    default:
      return `unreachable: ${e.message}`;
  }
}

/** Fetches one endpoint; never throws (errors are results). */
export function collectOne(endpoint: string, opts: CollectOptions = {}): Promise<CollectResult> {
  const started = Date.now();
  const seconds = opts.seconds ?? 30;
  const margin = opts.marginSeconds ?? 10;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const progress = (ev: CollectProgress): void => opts.onProgress?.(endpoint, ev);
  let url: URL;
  try {
    url = profileUrl(endpoint, seconds);
  } catch (e) {
    const error = (e as Error).message;
    progress({ phase: 'failed', error });
    return Promise.resolve({ endpoint, url: endpoint, ok: false, error, ms: 0 });
  }
  return new Promise<CollectResult>((resolve) => {
    let settled = false;
    const finish = (r: { ok: true; bytes: Buffer; samples: number } | { ok: false; error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      progress(r.ok ? { phase: 'done', bytes: r.bytes.length, samples: r.samples } : { phase: 'failed', error: r.error });
      resolve({ endpoint, url: url.href, ms: Date.now() - started, ...r });
    };
    const onAbort = (): void => finish({ ok: false, error: 'cancelled' });
    const timer = setTimeout(
      () => finish({ ok: false, error: `timed out after ${seconds + margin} s (asked for a ${seconds} s profile; the endpoint did not answer in time)` }),
      (seconds + margin) * 1000,
    );
    const mod = url.protocol === 'https:' ? https : http;
    progress({ phase: 'connecting' });
    const req = mod.get(url, { headers: { 'user-agent': 'pgo-lens' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        // Go's pprof handler explains errors in a short text body: include it.
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (c: Buffer) => {
          if (n < 512) chunks.push(c);
          n += c.length;
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200).replace(/\s+/g, ' ').trim();
          finish({ ok: false, error: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() + (text ? `: ${text}` : '') });
        });
        res.on('error', () => finish({ ok: false, error: `HTTP ${status}` }));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        finish({ ok: false, error: `response too large: ${declared} bytes declared, the limit is ${maxBytes}` });
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        if (total === 0) progress({ phase: 'receiving', bytes: 0 });
        total += c.length;
        if (total > maxBytes) {
          finish({ ok: false, error: `response too large: more than ${maxBytes} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) {
          finish({ ok: false, error: `connection closed by ${url.host} before the profile was complete` });
          return;
        }
        const bytes = Buffer.concat(chunks, total);
        if (bytes.length === 0) {
          finish({ ok: false, error: 'not a profile: empty response' });
          return;
        }
        try {
          const { profile } = loadProfileBytes(bytes, { heat: false });
          if (profile.format !== 'pprof') throw new Error('not a pprof profile (a preprocessed GO PREPROFILE V1 file)');
          finish({ ok: true, bytes, samples: profile.sampleCount });
        } catch (e) {
          const msg = isProfileError(e) ? `${e.message}. ${e.advice}` : (e as Error).message;
          finish({ ok: false, error: `not a profile: ${msg}` });
        }
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, error: describeNetError(e, url) }));
      res.on('aborted', () => finish({ ok: false, error: `connection closed by ${url.host} before the profile was complete` }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, error: describeNetError(e, url) }));
    req.on('socket', () => progress({ phase: 'profiling', seconds }));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort);
  });
}

/** Collects from every endpoint concurrently; results are in the order of `endpoints`. */
export function collectProfiles(endpoints: string[], opts: CollectOptions = {}): Promise<CollectResult[]> {
  return Promise.all(endpoints.map((e) => collectOne(e, opts)));
}
