/**
 * Collecting CPU profiles from running Go programs over `net/http/pprof`
 * (`/debug/pprof/profile?seconds=N`), from several endpoints at once.
 *
 * Each endpoint gets a deadline of `seconds + marginSeconds`, a response size cap, a cap on the
 * decompressed size (the body is inflated as it arrives, on libuv's thread pool, so the deadline
 * and cancellation hold while inflating and a gzip bomb stops at the cap), and its own result: the
 * profile bytes (checked to be a pprof profile the compiler can read: decoded streamed, one response
 * of the collect at a time, so the raw protobuf is never held whole), or one clear error
 * (unreachable, HTTP status, a redirect and its location, timeout, too large, not a profile). All
 * endpoints of one collect share a total cap on the bytes they hold. Everything stops when the
 * AbortSignal fires.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isProfileError, ProfileError } from '../profile/errors';
import { CappedGunzip, isGzip, MAX_INFLATED_BYTES } from '../profile/inflate';
import { loadProfileData } from '../pgo/load';

export interface CollectOptions {
  /** Profile duration asked of each endpoint (default 30, like `go tool pprof`). */
  seconds?: number;
  /** Extra time allowed beyond `seconds` for connecting and transferring (default 10). */
  marginSeconds?: number;
  /** Largest accepted response body (default 256 MiB). */
  maxBytes?: number;
  /** Largest decompressed profile (default MAX_INFLATED_BYTES, 256 MiB). */
  maxInflatedBytes?: number;
  /** Total bytes (received and decompressed) all endpoints of one collect may hold (default 512 MiB). */
  maxTotalBytes?: number;
  /** The shared budget of one collect (set by collectProfiles). */
  budget?: CollectBudget;
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
export const DEFAULT_MAX_TOTAL_BYTES = 512 * 1024 * 1024;

/** Bytes the endpoints of one collect hold together, and the one decode that runs at a time. */
export class CollectBudget {
  used = 0;
  private decoding: Promise<unknown> = Promise.resolve();
  constructor(readonly limit: number) {}
  /** Runs `fn` after every earlier one has settled: the decoded tables of one response at a time. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.decoding.then(fn, fn);
    this.decoding = run.catch(() => undefined);
    return run;
  }
  /** Takes `n` bytes; false when that passes the limit (nothing is taken then). */
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

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
  const maxInflated = opts.maxInflatedBytes ?? MAX_INFLATED_BYTES;
  const budget = opts.budget ?? new CollectBudget(opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES);
  let held = 0; // bytes of the budget this endpoint holds
  const hold = (n: number): boolean => {
    if (!budget.take(n)) return false;
    held += n;
    return true;
  };
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
      gz?.fail(new ProfileError('io', 'stopped'));
      budget.give(held - (r.ok ? r.bytes.length : 0)); // a result keeps only its compressed bytes
      held = r.ok ? r.bytes.length : 0;
      chunks.length = 0;
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
    let gz: CappedGunzip | null = null;
    const chunks: Buffer[] = [];
    const mod = url.protocol === 'https:' ? https : http;
    progress({ phase: 'connecting' });
    const req = mod.get(url, { headers: { 'user-agent': 'pgo-lens' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        let to = res.headers.location;
        try {
          to = new URL(to, url).href;
        } catch {
          /* quoted as sent */
        }
        finish({
          ok: false,
          error:
            `HTTP ${status} ${res.statusMessage ?? ''}`.trim() +
            `: redirected to ${to} (redirects are not followed; use that URL as the endpoint if it is the profile)`,
        });
        return;
      }
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
      let total = 0;
      const overTotal = (): void =>
        finish({
          ok: false,
          error: `the endpoints of this collect together sent more than ${budget.limit} bytes (the total limit); collect from fewer endpoints at once`,
        });
      res.on('data', (c: Buffer) => {
        if (settled) return;
        if (total === 0) {
          progress({ phase: 'receiving', bytes: 0 });
          if (isGzip(c)) {
            gz = new CappedGunzip(maxInflated, (d) => {
              if (settled) return;
              if (!hold(d.length)) return overTotal(); // charged, not kept: the decode below inflates again, streamed
            });
            gz.done.catch((e: Error) =>
              finish({
                ok: false,
                error:
                  isProfileError(e) && e.kind === 'limit'
                    ? `response too large: ${e.detail}`
                    : `not a profile: ${isProfileError(e) ? `${e.message}. ${e.advice}` : e.message}`,
              }),
            );
          }
        }
        total += c.length;
        if (total > maxBytes) {
          finish({ ok: false, error: `response too large: more than ${maxBytes} bytes` });
          return;
        }
        if (!hold(c.length)) return overTotal();
        chunks.push(c);
        gz?.push(c);
      });
      res.on('end', async () => {
        if (settled) return;
        if (gz) {
          try {
            await gz.end(); // inflating runs off this thread: the deadline and cancellation still hold
          } catch {
            return; // finished by gz.done's handler
          }
          if (settled) return;
        }
        if (!res.complete) {
          finish({ ok: false, error: `connection closed by ${url.host} before the profile was complete` });
          return;
        }
        if (total === 0) {
          finish({ ok: false, error: 'not a profile: empty response' });
          return;
        }
        try {
          // Decoded from the chunks as they arrived: the body is joined only once it is a profile.
          const { profile } = await budget.serial(() => loadProfileData(chunks, { heat: false }));
          if (settled) return;
          if (profile.format !== 'pprof') throw new Error('not a pprof profile (a preprocessed GO PREPROFILE V1 file)');
          finish({ ok: true, bytes: Buffer.concat(chunks, total), samples: profile.sampleCount });
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
  const budget = opts.budget ?? new CollectBudget(opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES);
  return Promise.all(endpoints.map((e) => collectOne(e, { ...opts, budget })));
}
