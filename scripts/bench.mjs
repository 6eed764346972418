#!/usr/bin/env node
// Performance report for the profile engine (`npm run bench`; see docs/performance.md).
// Prints figures only: nothing here passes or fails on timing, and tests never assert timings.
//
//   node scripts/bench.mjs [--runs N] [--target-mb N] [--json FILE] [--only profile]
//
// --only profile: the profile engine's rows only (inputs, checks, whole-process preprofile, in-process
// load against the floor, the worker's memory at the target size); no crafted, choices, index, editor,
// decisions, corpus, edits, open, explorer or report sections.
//
// Inputs: cmd/compile's default.pgo from GOROOT and a large profile generated from it by
// scripts/gen-large-profile.mjs (cached in bench-data/, regenerated when missing or stale).
// Every in-process measurement runs in a fresh child `node --expose-gc` (this script with
// --bench-child), so "cold" really is a first run and heap figures are not polluted by other work.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { craftedRows } from './bench-crafted.mjs';
import { benchDir, DEFAULT_TARGET_MB, loadEngine, root, seedProfilePath } from './gen-large-profile.mjs';

const SELF = fileURLToPath(import.meta.url);
const ENGINE = join(benchDir, 'engine.cjs');
const CLI = join(root, 'dist', 'cli.js');
const require = createRequire(import.meta.url);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 1 : 2)} MB`;
const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

// ---------------------------------------------------------------------------------------------
// Child mode: one measurement in a fresh process, result as JSON on stdout.
// ---------------------------------------------------------------------------------------------

/** Heap in use: the JS heap plus typed-array backing stores (where the decoder's tables live). */
function heapNow() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers, external: m.external };
}

/**
 * Times `fn` warm. Warm-up: calls until `warmMs` has passed (at least 1, at most 100; the streaming
 * path needs ~20 calls on the small input before it is fully optimized). Then up to `runs` timed
 * samples, with an untimed full gc() first when calls are slow. A sample repeats `fn` to last
 * ~25 ms (single short calls would measure timer and scheduler noise) and counts time per call.
 * Stops early, after `minRuns` samples, once the samples exceed `budgetMs`, so slow calls on the
 * large input stay within the time budget. Returns the median per-call time and the counts.
 */
async function timeIt(fn, runs, { warmMs = 1000, budgetMs = 2000, minRuns = 3 } = {}) {
  const ws = performance.now();
  let warmup = 0;
  do {
    await fn();
    warmup++;
  } while (performance.now() - ws < warmMs && warmup < 100);
  const perCall = (performance.now() - ws) / warmup;
  const batch = Math.max(1, Math.min(100, Math.floor(25 / perCall)));
  const t = [];
  let spent = 0;
  for (let i = 0; i < runs; i++) {
    // Untimed full gc() before slow calls, so they do not pay for the previous call's garbage. Not for
    // fast ones: a forced full GC clears inline caches and makes the next few-ms call 2–5× slower.
    if (perCall > 100) globalThis.gc?.();
    const s = performance.now();
    for (let k = 0; k < batch; k++) await fn();
    const d = performance.now() - s;
    t.push(d / batch);
    spent += d;
    if (t.length >= Math.min(minRuns, runs) && spent > budgetMs) break;
  }
  return { ms: median(t), runs: t.length, batch, warmup };
}

/** Loads in a fresh process: the first call (cold, with retained heap) or warm calls. */
async function childLoad(mode, file, warm, runs) {
  const t0 = performance.now();
  const eng = require(ENGINE);
  const requireMs = performance.now() - t0;
  const bytes = mode === 'sync' ? readFileSync(file) : null;
  // The worker's path: load, then the editor's per-function/per-line numbers (computed on first use).
  // The worker keeps only the model (the decoded tables are dropped once its heat is computed).
  const load = async () => {
    const l = mode === 'sync' ? eng.loadProfileBytes(bytes) : await eng.loadProfileFile(file);
    void l.profile.heat.count;
    void l.profile.edgeGroups?.count;
    return l.profile;
  };
  if (warm) return { requireMs, ...(await timeIt(load, runs)) };
  const before = heapNow();
  const t = performance.now();
  const kept = await load();
  const ms = performance.now() - t;
  await new Promise((r) => setTimeout(r, 50)); // the read stream and inflater close on later ticks
  const after = heapNow();
  return {
    requireMs,
    ms,
    edges: kept.edges.length, // keeps `kept` alive across the measurement
    retainedHeap: after.heap - before.heap,
    retainedArrayBuffers: after.arrayBuffers - before.arrayBuffers,
    maxRssKB: process.resourceUsage().maxRSS,
  };
}

/** The model as the worker keeps it: the profile alone (not the decoded tables), heat and edge groups computed. */
async function workerModel(eng, file) {
  const { profile } = await eng.loadProfileFile(file);
  void profile.heat.count;
  void profile.edgeGroups?.count;
  return profile;
}

/** The worker's tables for a loaded profile, as workspace.ts loadProfileData builds them (the hot set's temporaries die here). */
function workerTables(eng, file, profile) {
  const data = eng.profileData(file, profile, eng.hotSet(profile, 99));
  eng.scalesOf(data);
  return data;
}

/**
 * What the worker retains for a profile, in a fresh process: the model (stream load, heat and edge
 * groups computed) and on top of it the ProfileData tables (edge and name indexes, lean hot set,
 * package weights) and heat scales. Matches and per-package closure copies depend on the source and
 * are not counted.
 */
async function childWorkerMemory(file) {
  const eng = require(ENGINE);
  const before = heapNow();
  const t = performance.now();
  const profile = await workerModel(eng, file);
  const loadMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 50)); // the read stream and inflater close on later ticks
  const model = heapNow();
  const t2 = performance.now();
  const data = workerTables(eng, file, profile);
  const tablesMs = performance.now() - t2;
  const after = heapNow();
  const kept = (m) => m.heap - before.heap + (m.arrayBuffers - before.arrayBuffers);
  return {
    loadMs,
    tablesMs,
    edges: data.profile.edges.length, // keeps `data` alive across the measurement
    model: kept(model),
    worker: kept(after),
    maxRssKB: process.resourceUsage().maxRSS,
  };
}

async function childCheck(file) {
  const eng = require(ENGINE);
  const bytes = readFileSync(file);
  const sync = eng.loadProfileBytes(bytes, {});
  const stream = await eng.loadProfileFile(file, {});
  const a = eng.serializePreprofile(sync.profile);
  const b = eng.serializePreprofile(stream.profile);
  const raw = eng.isGzip(bytes) ? eng.gunzip(bytes) : bytes;
  const p = sync.pprof;
  return {
    gzBytes: bytes.length,
    rawBytes: raw.length,
    samples: p.sampleCount,
    locations: p.locations.count,
    functions: p.functions.count,
    strings: p.strings.length,
    pairs: p.pairs.count,
    edges: sync.profile.edges.length,
    totalWeight: sync.profile.totalWeight,
    equal: Buffer.compare(a, b) === 0,
    preprofileBytes: a.length,
    sha: createHash('sha256').update(a).digest('hex').slice(0, 16),
  };
}

/**
 * protobufjs's low-level Reader walking the Profile message into the same typed tables as our
 * decoder: strings; functions; locations with lines in CSR form; each sample's location ids mapped
 * to dense indices, its values into typed arrays. Every int64 field is read with int64()/uint64()
 * (→ Long → number) as the schema says, since ours is exact too.
 * With `fold`, each sample is also folded exactly as our decoder does (a Map keyed by the
 * (caller, leaf) pair; the stacks are kept in CSR either way): equivalent work, minus our
 * validation. Without it, it is a parse-only lower bound.
 */
function pbjsWalk(protobuf, buf, fold) {
  const r = protobuf.Reader.create(buf);
  const num = (v) => (typeof v === 'number' ? v : v.toNumber());
  const id = () => num(r.uint64());
  const i64 = () => num(r.int64());
  const grow = (a, n) => {
    if (n <= a.length) return a;
    const b = new a.constructor(Math.max(n, a.length * 2));
    b.set(a);
    return b;
  };
  const strings = [];
  let fN = 0;
  let fId = new Float64Array(1024);
  let fName = new Int32Array(1024);
  let fSys = new Int32Array(1024);
  let fFile = new Int32Array(1024);
  let fStart = new Float64Array(1024);
  let lN = 0;
  let lId = new Float64Array(1024);
  let lMap = new Float64Array(1024);
  let lAddr = new Float64Array(1024);
  let lLineStart = new Int32Array(1025);
  let lineN = 0;
  let lineFn = new Float64Array(2048);
  let lineLine = new Float64Array(2048);
  let dense = new Int32Array(1 << 16); // location id → dense index + 1 (assigned on first sight)
  let nextLoc = 0;
  const locIx = (lid) => {
    if (lid >= dense.length) dense = grow(dense, lid + 1);
    let s = dense[lid];
    if (s === 0) s = dense[lid] = ++nextLoc;
    return s - 1;
  };
  let sN = 0;
  let sStart = new Int32Array(1024);
  let stack = new Int32Array(1 << 16);
  let stackN = 0;
  let values = new Float64Array(2048);
  let valuesN = 0;
  // folding state (as PprofDecoder.addSample)
  let nv = -1;
  const pairIndex = new Map();
  let pN = 0;
  let pCaller = new Int32Array(1024);
  let pLeaf = new Int32Array(1024);
  let pValues = new Float64Array(2048);
  const sampleTypes = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1: {
        const end = r.uint32() + r.pos;
        const vt = [0, 0];
        while (r.pos < end) {
          const t = r.uint32();
          if (t >>> 3 === 1) vt[0] = id();
          else if (t >>> 3 === 2) vt[1] = id();
          else r.skipType(t & 7);
        }
        sampleTypes.push(vt);
        break;
      }
      case 2: {
        const end = r.uint32() + r.pos;
        sStart = grow(sStart, sN + 2);
        const s0 = (sStart[sN] = stackN);
        const v0 = valuesN;
        while (r.pos < end) {
          const t = r.uint32();
          const f = t >>> 3;
          if (f === 1) {
            if ((t & 7) === 2) {
              const e2 = r.uint32() + r.pos;
              while (r.pos < e2) {
                stack = grow(stack, stackN + 1);
                stack[stackN++] = locIx(id());
              }
            } else {
              stack = grow(stack, stackN + 1);
              stack[stackN++] = locIx(id());
            }
          } else if (f === 2) {
            if ((t & 7) === 2) {
              const e2 = r.uint32() + r.pos;
              while (r.pos < e2) {
                values = grow(values, valuesN + 1);
                values[valuesN++] = i64();
              }
            } else {
              values = grow(values, valuesN + 1);
              values[valuesN++] = i64();
            }
          } else r.skipType(t & 7);
        }
        sStart[++sN] = stackN;
        const nloc = stackN - s0;
        if (fold && nloc > 0) {
          if (nv < 0) nv = valuesN - v0;
          const leaf = stack[s0];
          const caller = nloc > 1 ? stack[s0 + 1] : -1;
          const key = (caller + 1) * 67108864 + leaf;
          let pi = pairIndex.get(key);
          if (pi === undefined) {
            pi = pN++;
            pairIndex.set(key, pi);
            pCaller = grow(pCaller, pN);
            pLeaf = grow(pLeaf, pN);
            pValues = grow(pValues, pN * nv);
            pCaller[pi] = caller;
            pLeaf[pi] = leaf;
          }
          // Like PprofDecoder: the stacks stay in `stack` (CSR) for the editor's numbers.
          for (let j = 0; j < nv; j++) pValues[pi * nv + j] += values[v0 + j];
        }
        break;
      }
      case 4: {
        const end = r.uint32() + r.pos;
        const ix = lN++;
        lId = grow(lId, lN);
        lMap = grow(lMap, lN);
        lAddr = grow(lAddr, lN);
        lLineStart = grow(lLineStart, lN + 1);
        lLineStart[ix] = lineN;
        while (r.pos < end) {
          const t = r.uint32();
          const f = t >>> 3;
          if (f === 1) lId[ix] = id();
          else if (f === 2) lMap[ix] = id();
          else if (f === 3) lAddr[ix] = num(r.uint64());
          else if (f === 4) {
            const e2 = r.uint32() + r.pos;
            lineFn = grow(lineFn, lineN + 1);
            lineLine = grow(lineLine, lineN + 1);
            let fn = 0;
            let ln = 0;
            while (r.pos < e2) {
              const t2 = r.uint32();
              if (t2 >>> 3 === 1) fn = id();
              else if (t2 >>> 3 === 2) ln = i64();
              else r.skipType(t2 & 7);
            }
            lineFn[lineN] = fn;
            lineLine[lineN++] = ln;
          } else r.skipType(t & 7);
        }
        lLineStart[ix + 1] = lineN;
        locIx(lId[ix]);
        break;
      }
      case 5: {
        const end = r.uint32() + r.pos;
        const ix = fN++;
        fId = grow(fId, fN);
        fName = grow(fName, fN);
        fSys = grow(fSys, fN);
        fFile = grow(fFile, fN);
        fStart = grow(fStart, fN);
        while (r.pos < end) {
          const t = r.uint32();
          const f = t >>> 3;
          if (f === 1) fId[ix] = id();
          else if (f === 2) fName[ix] = id();
          else if (f === 3) fSys[ix] = id();
          else if (f === 4) fFile[ix] = id();
          else if (f === 5) fStart[ix] = i64();
          else r.skipType(t & 7);
        }
        break;
      }
      case 6:
        strings.push(r.string());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return { strings: strings.length, functions: fN, locations: lN, samples: sN, stack: stackN, values: valuesN, pairs: pN, sampleTypes };
}

/** One measured alternative per process (no JIT or heap state shared between alternatives). */
async function childAlt(name, file, runs) {
  const eng = require(ENGINE);
  const gz = readFileSync(file);
  const raw = eng.gunzip(gz);
  const res = { rawBytes: raw.length, gzBytes: gz.length };
  switch (name) {
    case 'zlibIsize':
      res.t = await timeIt(() => eng.gunzip(gz), runs);
      break;
    case 'zlibDefault':
      res.t = await timeIt(() => gunzipSync(gz), runs);
      break;
    case 'pako': {
      const pako = require('pako');
      const out = pako.inflate(gz);
      if (Buffer.compare(Buffer.from(out.buffer, out.byteOffset, out.length), raw) !== 0) throw new Error('pako and zlib disagree');
      res.t = await timeIt(() => pako.inflate(gz), runs);
      break;
    }
    case 'ours': {
      // The sync path by phase: decode, then the model and the serializer on its result.
      // Each call drops the previous result first, so two results never share the heap.
      let p = null;
      res.t = await timeIt(() => {
        p = null;
        p = eng.decodePprof(raw);
      }, runs);
      let m = null;
      res.model = await timeIt(
        () => {
          m = null;
          m = eng.modelFromPprof(p);
        },
        runs,
        { minRuns: 2 },
      );
      res.serialize = await timeIt(() => eng.serializePreprofile(m), runs);
      // The editor's per-function and per-line flat/cum (go tool pprof's), from the kept stacks.
      res.numbers = await timeIt(() => eng.pprofNumbers(p, 0), runs, { minRuns: 2 });
      break;
    }
    case 'oursKeep':
      res.t = await timeIt(() => eng.decodePprof(raw, { keepSamples: true }), runs);
      break;
    case 'pbjsTables':
    case 'pbjsFold': {
      const protobuf = require('protobufjs/minimal');
      const fold = name === 'pbjsFold';
      const a = pbjsWalk(protobuf, raw, fold);
      const d = eng.decodePprof(raw, { keepSamples: true });
      const defined = d.locations.defined.reduce((x, y) => x + y, 0);
      if (
        a.samples !== d.sampleCount ||
        a.locations !== defined ||
        a.functions !== d.functions.count ||
        a.stack !== d.samples.stack.length ||
        (fold && a.pairs !== d.pairs.count)
      ) {
        throw new Error(`the protobufjs walk disagrees with the decoder: ${JSON.stringify(a)}`);
      }
      res.t = await timeIt(() => pbjsWalk(protobuf, raw, fold), runs);
      break;
    }
    default:
      throw new Error(`unknown alternative ${name}`);
  }
  return res;
}

/**
 * The floor of a profile load: node:zlib inflate and one walk over every top-level field (tag,
 * length, and each byte of the payload read once), no tables. What a decoder cannot beat.
 */
function floorWalk(gz) {
  const raw = gunzipSync(gz);
  let p = 0;
  let n = 0;
  const e = raw.length;
  while (p < e) {
    let tag = 0;
    let sh = 0;
    let b;
    do {
      b = raw[p++];
      tag += (b & 0x7f) * 2 ** sh;
      sh += 7;
    } while (b & 0x80);
    if ((tag & 7) === 2) {
      let len = 0;
      let m = 1;
      do {
        b = raw[p++];
        len += (b & 0x7f) * m;
        m *= 128;
      } while (b & 0x80);
      const q = p + len;
      for (; p < q; p++) if (raw[p] < 0x80) n++; // varint ends
    } else {
      do b = raw[p++];
      while (b & 0x80);
    }
  }
  return n;
}

async function childFloor(file, runs) {
  const gz = readFileSync(file);
  return timeIt(() => floorWalk(gz), runs);
}

if (process.argv[2] === '--floor-process') {
  // A whole process that only reads, inflates and walks: the floor of `pgo-lens preprofile`.
  floorWalk(readFileSync(process.argv[3]));
  process.exit(0);
}

// Its own flag: bench-crafted.mjs, imported above, answers a bare --child on import.
if (process.argv[2] === '--bench-child') {
  const [what, ...a] = process.argv.slice(3);
  let out;
  if (what === 'check') out = await childCheck(a[0]);
  else if (what === 'load') out = await childLoad(a[0], a[1], a[2] === 'warm', Number(a[3]));
  else if (what === 'worker-memory') out = await childWorkerMemory(a[0]);
  else if (what === 'alt') out = await childAlt(a[0], a[1], Number(a[2]));
  else if (what === 'floor') out = await childFloor(a[0], Number(a[1]));
  else throw new Error(`unknown child mode ${what}`);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent: orchestration and the report.
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { runs: Number(process.env.BENCH_RUNS ?? 5), targetMB: DEFAULT_TARGET_MB, json: '', only: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const val = () => inline ?? argv[++i];
    if (k === '--runs') o.runs = Number(val());
    else if (k === '--target-mb') o.targetMB = Number(val());
    else if (k === '--json') o.json = val();
    else if (k === '--only') o.only = val();
    else if (k === '-h' || k === '--help') {
      process.stdout.write('usage: node scripts/bench.mjs [--runs N] [--target-mb N] [--json FILE] [--only profile]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  if (!(Number.isInteger(o.runs) && o.runs >= 1)) throw new Error('--runs must be a positive integer');
  if (o.only !== '' && o.only !== 'profile') throw new Error('--only takes "profile"');
  return o;
}

/** Runs this script in child mode in a fresh `node --expose-gc` and returns its JSON result. */
function child(args) {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--bench-child', ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex');

/** The cached large profile, regenerated when missing or produced from other inputs. */
function largeProfile(targetMB, goVersion) {
  const file = join(benchDir, `large-${targetMB}mb.pgo`);
  const manifestFile = `${file}.json`;
  const want = {
    targetMB,
    goVersion,
    node: process.version,
    seedSha256: sha(readFileSync(seedProfilePath())),
    generatorSha256: sha(readFileSync(join(root, 'scripts', 'gen-large-profile.mjs'))),
  };
  let have = null;
  try {
    have = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    /* missing or unreadable: regenerate */
  }
  const fresh = have && existsSync(file) && Object.entries(want).every(([k, v]) => have[k] === v) && have.fileSha256 === sha(readFileSync(file));
  if (fresh) return { file, generated: false, genMs: 0 };
  const t = performance.now();
  execFileSync(process.execPath, [join(root, 'scripts', 'gen-large-profile.mjs'), '--target-mb', String(targetMB), '-o', file], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const genMs = performance.now() - t;
  writeFileSync(manifestFile, JSON.stringify({ ...want, fileSha256: sha(readFileSync(file)) }, null, 2) + '\n');
  return { file, generated: true, genMs };
}

const HAVE_TIME = (() => {
  try {
    return spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
})();

/** Peak RSS (KiB) of a process tree by polling /proc VmHWM (fallback when /usr/bin/time is missing). */
function pollPeak(pid) {
  let peak = 0;
  const visit = (p) => {
    try {
      const st = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+)/.exec(st);
      if (m) peak = Math.max(peak, Number(m[1]));
      for (const c of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/)) if (c) visit(Number(c));
    } catch {
      /* exited */
    }
  };
  visit(pid);
  return peak;
}

/** Runs a command with stdout to /dev/null; wall time from this process, peak RSS of the tree. */
async function runCmd(cmd, args) {
  const devnull = openSync('/dev/null', 'w');
  try {
    if (HAVE_TIME) {
      const rssFile = join(benchDir, `.rss-${process.pid}`);
      const t = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args], { stdio: ['ignore', devnull, 'pipe'] });
      const wall = performance.now() - t;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
      const [rss, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      rmSync(rssFile, { force: true });
      return { wall, rss, cpu: (user + sys) * 1000 };
    }
    const t = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', devnull, 'pipe'] });
    let peak = 0;
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const timer = setInterval(() => (peak = Math.max(peak, pollPeak(p.pid))), 2);
    const code = await new Promise((res) => p.on('exit', (c) => res(c)));
    const wall = performance.now() - t;
    clearInterval(timer);
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${err}`);
    return { wall, rss: peak, cpu: NaN };
  } finally {
    closeSync(devnull);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const N = opts.runs;
  const t0 = performance.now();
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run bench` (it builds first)');
  const goVersion = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  const gotooldir = execFileSync('go', ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).trim();
  const toolBin = join(gotooldir, 'preprofile');
  await loadEngine(); // bundles src/ into bench-data/engine.cjs for the children

  const out = (s = '') => process.stdout.write(s + '\n');
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  out(`Go PGO Lens benchmark — ${new Date().toISOString()}`);
  out(`machine: ${cpus().length} CPUs (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; ${goVersion}`);
  const load0 = loadavg()[0];
  out(`load average at start: ${load0.toFixed(2)}${load0 > cpus().length / 2 ? ' — the machine is busy; timings will be noisy and slow' : ''}`);
  out(
    `runs per figure: ${N} (median); peak RSS and cpu via ${HAVE_TIME ? '/usr/bin/time -f "%M %U %S" (peak = largest process of the tree)' : 'polling /proc/PID/status VmHWM every 2 ms'}`,
  );
  out();

  const small = seedProfilePath();
  const large = largeProfile(opts.targetMB, goVersion);
  const inputs = [
    { name: 'cmd/compile default.pgo', file: small },
    { name: `generated (${opts.targetMB} MB target)`, file: large.file },
  ];
  if (large.generated) out(`(generated ${large.file} in ${(large.genMs / 1000).toFixed(1)} s)`);

  // ---- inputs and correctness checks
  out('== Inputs');
  out(`${pad('', 26)}${lpad('gz', 10)}${lpad('raw', 10)}${lpad('samples', 10)}${lpad('locations', 11)}${lpad('functions', 11)}${lpad('edges', 9)}`);
  for (const inp of inputs) {
    inp.info = child(['check', inp.file]);
    const i = inp.info;
    out(
      `${pad(inp.name, 26)}${lpad(mb(i.gzBytes), 10)}${lpad(mb(i.rawBytes), 10)}${lpad(i.samples, 10)}${lpad(i.locations, 11)}${lpad(i.functions, 11)}${lpad(i.edges, 9)}`,
    );
  }
  out();
  out('== Checks');
  for (const inp of inputs) {
    const ours = spawnSync(process.execPath, [CLI, 'preprofile', inp.file], { maxBuffer: 1 << 30 });
    const theirs = spawnSync('go', ['tool', 'preprofile', '-i', inp.file], { maxBuffer: 1 << 30 });
    if (ours.status !== 0 || theirs.status !== 0) throw new Error(`preprofile failed on ${inp.file}: ${ours.stderr}${theirs.stderr}`);
    const same = Buffer.compare(ours.stdout, theirs.stdout) === 0;
    inp.identical = same;
    out(
      `${pad(inp.name, 26)} go tool preprofile accepts it; pgo-lens preprofile output ${same ? 'is byte-identical' : 'DIFFERS'} (${mb(theirs.stdout.length)}, sha256 ${sha(theirs.stdout).slice(0, 16)})`,
    );
    out(`${pad('', 26)} streaming loadProfileFile vs sync loadProfileBytes: serializePreprofile ${inp.info.equal ? 'identical' : 'DIFFERS'}`);
  }
  out();

  // ---- whole process
  out(`== Whole process: preprofile, output to /dev/null (median of ${N} interleaved runs; the checks above warmed the page cache)`);
  out('   pgo-lens writes to stdout (>/dev/null): with -o /dev/null its atomic write would rename a temp file over /dev/null.');
  const cmds = (file) => [
    { key: 'ours', label: 'node dist/cli.js preprofile', cmd: process.execPath, args: [CLI, 'preprofile', file] },
    { key: 'go', label: 'go tool preprofile', cmd: 'go', args: ['tool', 'preprofile', '-i', file, '-o', '/dev/null'] },
    { key: 'tool', label: '$GOTOOLDIR/preprofile', cmd: toolBin, args: ['-i', file, '-o', '/dev/null'] },
    { key: 'floor', label: 'floor: node inflate + wire walk', cmd: process.execPath, args: [SELF, '--floor-process', file] },
  ];
  await runCmd(toolBin, ['-i', small, '-o', '/dev/null']);
  const nodeStart = [];
  for (let i = 0; i < N; i++) nodeStart.push((await runCmd(process.execPath, ['-e', '0'])).wall);
  for (const inp of inputs) {
    const cs = cmds(inp.file);
    const res = Object.fromEntries(cs.map((c) => [c.key, { wall: [], rss: [], cpu: [] }]));
    for (let i = 0; i < N; i++) {
      for (const c of cs) {
        // interleaved, so drift affects all three alike
        const r = await runCmd(c.cmd, c.args);
        res[c.key].wall.push(r.wall);
        res[c.key].rss.push(r.rss);
        res[c.key].cpu.push(r.cpu);
      }
    }
    inp.proc = Object.fromEntries(
      Object.entries(res).map(([k, v]) => [k, { wall: median(v.wall), rss: median(v.rss), cpu: median(v.cpu), walls: v.wall, rssAll: v.rss, cpuAll: v.cpu }]),
    );
    out(`${pad(`${inp.name}:`, 32)}${lpad('wall', 10)}${lpad('(min – max)', 24)}${lpad('cpu', 10)}${lpad('peak RSS', 11)}`);
    for (const c of cs) {
      const r = inp.proc[c.key];
      out(
        `  ${pad(c.label, 30)}${lpad(ms(r.wall), 10)}${lpad(`(${ms(Math.min(...r.walls))} – ${ms(Math.max(...r.walls))})`, 24)}${lpad(Number.isNaN(r.cpu) ? 'n/a' : ms(r.cpu), 10)}${lpad(mib(r.rss), 11)}`,
      );
    }
    const p = inp.proc;
    out(
      `  ratio ours/go tool ${ratio(p.ours.wall, p.go.wall)}${inp === inputs[1] ? ' (goal: ≤ 0.15× on the large profile)' : ''}, ` +
        `floor/go tool ${ratio(p.floor.wall, p.go.wall)}, ours/floor ${ratio(p.ours.wall, p.floor.wall)}; ` +
        `ours/tool binary ${ratio(p.ours.wall, p.tool.wall)}; in cpu time ours/go tool ${ratio(p.ours.cpu, p.go.cpu)}; ` +
        `go launcher overhead ${ms(p.go.wall - p.tool.wall)}`,
    );
  }
  out(`  cpu = user + sys of the process tree (10 ms resolution), less sensitive than wall time to other load.`);
  out(`  node startup alone (node -e 0): ${ms(median(nodeStart))}`);
  out();

  // ---- in-process load
  out('== In-process load, each figure in fresh `node --expose-gc` children');
  out(
    `   cold = the first call in a process (median of ${N} processes); warm = median of up to ${N} samples after warm-up (calls > 100 ms: gc() first; short calls batched to ~25 ms)`,
  );
  out(
    `${pad('', 26)}${pad('mode', 8)}${lpad('cold', 10)}${lpad('MB/s', 7)}${lpad('warm', 10)}${lpad('MB/s', 7)}${lpad('retained', 11)}${lpad('peak RSS', 10)}`,
  );
  for (const inp of inputs) {
    inp.load = {};
    for (const mode of ['stream', 'sync']) {
      const cold = [];
      for (let i = 0; i < N; i++) cold.push(child(['load', mode, inp.file, 'cold', 1]));
      const warm = child(['load', mode, inp.file, 'warm', N]);
      const r = {
        cold: median(cold.map((c) => c.ms)),
        warm: warm.ms,
        warmRuns: warm.runs,
        retained: median(cold.map((c) => c.retainedHeap + c.retainedArrayBuffers)),
        retainedHeap: median(cold.map((c) => c.retainedHeap)),
        retainedArrayBuffers: median(cold.map((c) => c.retainedArrayBuffers)),
        rss: median(cold.map((c) => c.maxRssKB)),
        requireMs: median(cold.map((c) => c.requireMs)),
      };
      inp.load[mode] = r;
      const rate = (t) => (inp.info.rawBytes / 1e6 / (t / 1000)).toFixed(0);
      out(
        `${pad(mode === 'stream' ? inp.name : '', 26)}${pad(mode, 8)}${lpad(ms(r.cold), 10)}${lpad(rate(r.cold), 7)}${lpad(ms(r.warm), 10)}${lpad(rate(r.warm), 7)}` +
          `${lpad(mb(r.retained), 11)}${lpad(mib(r.rss), 10)}` +
          (r.warmRuns < N ? `  (warm: ${r.warmRuns} calls)` : ''),
      );
    }
  }
  for (const inp of inputs) {
    inp.floor = child(['floor', inp.file, N]);
    const st = inp.load.stream;
    out(
      `${pad(inp.name, 26)}floor: node:zlib inflate + one wire walk ${ms(inp.floor.ms)} warm; stream load / floor ${ratio(st.warm, inp.floor.ms)}` +
        `${inp === inputs[1] ? ' (goal: ≤ 1.5×)' : ''}; retained ${mb(st.retained)}${inp === inputs[1] ? ' (the model only; the worker: memory rows below)' : ''}`,
    );
  }
  out('  stream = loadProfileFile(path): createGunzip + incremental decoder; sync = loadProfileBytes(bytes): gunzipSync, file already read.');
  out('  Both include the PGO model (edge map, ByWeight sort, heat tables). MB/s = raw protobuf bytes per second.');
  out('  retained = JS heap + ArrayBuffers still live after gc() with the model kept (heat and edge groups computed, as the worker keeps it);');
  out('  peak RSS = the cold child process.');
  out();

  // ---- memory by profile size and for crafted profiles
  out('== Memory by profile size: what the worker keeps (stream load, model + ProfileData tables), one cold child each');
  out(
    `${pad('', 26)}${lpad('raw', 10)}${lpad('load', 10)}${lpad('tables', 10)}${lpad('model', 10)}${lpad('worker', 10)}${lpad('per raw MB', 12)}${lpad('peak RSS', 10)}`,
  );
  const sized = (opts.only ? [opts.targetMB] : [5, opts.targetMB, 200]).map((mbTarget) => ({
    mbTarget,
    file: mbTarget === opts.targetMB ? large.file : largeProfile(mbTarget, goVersion).file,
  }));
  const memory = [];
  for (const z of sized) {
    const c = child(['worker-memory', z.file]);
    const rawBytes = child(['check', z.file]).rawBytes;
    memory.push({ targetMB: z.mbTarget, rawBytes, ms: c.loadMs, tablesMs: c.tablesMs, model: c.model, retained: c.worker, rssKB: c.maxRssKB });
    out(
      `${pad(`generated (${z.mbTarget} MB target)`, 26)}${lpad(mb(rawBytes), 10)}${lpad(ms(c.loadMs), 10)}${lpad(ms(c.tablesMs), 10)}${lpad(mb(c.model), 10)}` +
        `${lpad(mb(c.worker), 10)}${lpad((c.worker / rawBytes).toFixed(2), 12)}${lpad(mib(c.maxRssKB), 10)}${z.mbTarget === opts.targetMB ? '  (goal: worker ≤ 64 MB)' : ''}`,
    );
  }
  out('  model = the loaded PgoProfile (heat and edge groups computed); worker = model + profileData (edge/name indexes, hot set) + heat scales,');
  out("  as the worker's loadProfileData keeps them; tables = time to build the latter. Matches and closure copies depend on the source: not counted.");
  out();
  if (opts.only === 'profile') {
    out(`bench (--only profile) finished in ${((performance.now() - t0) / 1000).toFixed(0)} s; load average at the end ${loadavg()[0].toFixed(2)}`);
    if (opts.json)
      writeFileSync(
        opts.json,
        JSON.stringify({ date: new Date().toISOString(), loadAverageStart: load0, loadAverageEnd: loadavg()[0], inputs, memory }, null, 2) + '\n',
      );
    return;
  }
  const crafted = await craftedRows(out);
  out();

  // ---- choices
  out(`== Choices and phases (warm as above, one child process per figure)`);
  const alts = ['zlibIsize', 'zlibDefault', 'pako', 'ours', 'oursKeep', 'pbjsFold', 'pbjsTables'];
  for (const inp of inputs) {
    const c = Object.fromEntries(alts.map((a) => [a, child(['alt', a, inp.file, N])]));
    inp.choices = c;
    const raw = c.ours.rawBytes;
    const t = (a) => c[a].t.ms;
    const rate = (x) => `${(raw / 1e6 / (x / 1000)).toFixed(0)} MB/s`;
    const row = (label, x, note = '') => out(`  ${pad(label, 42)}${lpad(ms(x), 10)} ${lpad(rate(x), 10)}   ${note}`);
    out(`${inp.name}:`);
    row('inflate  node:zlib gunzipSync, ISIZE chunk', t('zlibIsize'));
    row('         node:zlib gunzipSync, default', t('zlibDefault'), `${ratio(t('zlibDefault'), t('zlibIsize'))} the ISIZE time`);
    row('         pako.inflate', t('pako'), `${ratio(t('pako'), t('zlibIsize'))} the ISIZE time`);
    row('decode   ours, decodePprof (folded)', t('ours'));
    row('         ours, keepSamples (folded + kept)', t('oursKeep'));
    row('         protobufjs Reader + same folding', t('pbjsFold'), `${ratio(t('pbjsFold'), t('ours'))} our time (equivalent work)`);
    row('         protobufjs Reader, tables only', t('pbjsTables'), `${ratio(t('pbjsTables'), t('ours'))} our time (parse only, no folding)`);
    const ph = [t('zlibIsize'), t('ours'), c.ours.model.ms, c.ours.serialize.ms, c.ours.numbers.ms];
    const sum = ph.reduce((x, y) => x + y, 0);
    const pc = (x) => `${((100 * x) / sum).toFixed(0)}%`;
    out(
      `  phases (sync path): gunzip ${ms(ph[0])} (${pc(ph[0])}), decode ${ms(ph[1])} (${pc(ph[1])}), ` +
        `model ${ms(ph[2])} (${pc(ph[2])}), serialize ${ms(ph[3])} (${pc(ph[3])}), editor numbers ${ms(ph[4])} (${pc(ph[4])}); sum ${ms(sum)}`,
    );
  }
  out('  "same folding" = the protobufjs walk plus our decoder\'s fold by (caller, leaf), stacks kept as ours keeps them,');
  out('  with every int64 read exactly (Long → number) as ours is; neither walk validates like ours.');
  out();
  const index = indexBench(out);
  const editor = editorBench(large, out);
  // Prediction vs compiler confirmation (fixtures and cmd/compile): scripts/bench-decisions.mjs.
  const dec = spawnSync(process.execPath, [join(root, 'scripts', 'bench-decisions.mjs')], { stdio: 'inherit', cwd: root });
  if (dec.status !== 0) out(`  (decisions bench failed: exit ${dec.status})`);
  // Agreement on the real-code corpus (test/corpus): scripts/bench-corpus.mjs.
  const cor = spawnSync(process.execPath, [join(root, 'scripts', 'bench-corpus.mjs')], { stdio: 'inherit', cwd: root });
  if (cor.status !== 0) out(`  (corpus bench failed: exit ${cor.status})`);
  // Edit → new heat including re-matching, on cmd/compile's profile: scripts/bench-edits.mjs.
  const edt = spawnSync(process.execPath, [join(root, 'scripts', 'bench-edits.mjs')], { stdio: 'inherit', cwd: root });
  if (edt.status !== 0) out(`  (edits bench failed: exit ${edt.status})`);
  // Big-workspace open → first heat (GOROOT/src copy, ssa/regalloc.go): scripts/bench-open.mjs.
  const opn = spawnSync(process.execPath, [join(root, 'scripts', 'bench-open.mjs')], { stdio: 'inherit', cwd: root });
  if (opn.status !== 0) out(`  (open bench failed: exit ${opn.status})`);
  // The profile explorer's worker queries on the same 50 MB profile: scripts/bench-explorer.mjs.
  out('== Profile explorer on the large profile (open, first flame graph, inverted view, table page, zoom, callers, search)');
  const exp = spawnSync(process.execPath, [join(root, 'scripts', 'bench-explorer.mjs'), large.file], { stdio: 'inherit', cwd: root });
  if (exp.status !== 0) out(`  (explorer bench failed: exit ${exp.status})`);
  if (spawnSync(process.execPath, [join(root, 'scripts', 'bench-report.mjs')], { stdio: 'inherit', cwd: root }).status !== 0) out('  (report bench failed)');
  const totalS = (performance.now() - t0) / 1000;
  out(`bench finished in ${totalS.toFixed(0)} s; load average at the end ${loadavg()[0].toFixed(2)} (this bench keeps about one core busy)`);

  if (opts.json) {
    const data = {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel,
      loadAverageStart: load0,
      loadAverageEnd: loadavg()[0],
      node: process.version,
      go: goVersion,
      runs: N,
      rssMethod: HAVE_TIME ? 'time' : 'proc',
      nodeStartMs: median(nodeStart),
      inputs: inputs.map(({ name, file, info, identical, proc, load, floor, choices }) => ({ name, file, info, identical, proc, load, floor, choices })),
      memory,
      crafted,
      index,
      editor,
      totalSeconds: totalS,
    };
    writeFileSync(opts.json, JSON.stringify(data, null, 2) + '\n');
  }
}

/** Source index speed: a 5,000-line file (lex, parse, re-index while typing) and all of GOROOT/src. */
function indexBench(out) {
  out('## Go source index (out/test/oracle/source/bench.js --goroot)');
  const script = join(root, 'out', 'test', 'oracle', 'source', 'bench.js');
  if (!existsSync(script)) {
    out('  (not built: run `node scripts/build.mjs --tests` first)');
    out();
    return null;
  }
  const r = spawnSync(process.execPath, [script, '--goroot'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = (r.stdout || r.stderr).trim().split('\n');
  for (const l of lines) out(`  ${l}`);
  out();
  return lines;
}

/**
 * Editor figures from a real VS Code (code-server, as the integration tests): activation,
 * open-to-decorations, re-decoration after an edit, and the longest extension-host stall while the
 * large profile loads in the worker. Skipped with a note when the harness cannot run.
 */
function editorBench(large, out) {
  out('## Editor (real VS Code via code-server; test/integration/bench/editor.test.ts)');
  const outFile = join(benchDir, 'editor-bench.json');
  rmSync(outFile, { force: true });
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'integration', 'run.mjs'), '--no-build'], {
    encoding: 'utf8',
    env: { ...process.env, PGO_LENS_TEST_SUITE_DIR: 'bench', PGO_LENS_BENCH_PROFILE: large.file ?? large, PGO_LENS_BENCH_OUT: outFile },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0 || !existsSync(outFile)) {
    out(`  (editor bench did not run: ${(r.stdout + r.stderr).trim().split('\n').slice(-3).join(' / ')})`);
    out();
    return null;
  }
  const e = JSON.parse(readFileSync(outFile, 'utf8'));
  const row = (label, v) => out(`  ${pad(label, 58)} ${typeof v === 'number' ? ms(v) : v}`);
  row('activation (activate() on the host thread)', e.activationMs);
  row('open a Go file → heat decorations (cold, includes workspace load)', e.openToDecorationsMs);
  row('open another file → heat decorations (warm)', e.openWarmToDecorationsMs);
  row('edit → re-decorated (including the debounce)', e.editToRedecorationMs);
  row('edit → re-decorated, minus the debounce', e.editToRedecorationMinusDebounceMs);
  if (e.largeProfileReloadMs !== undefined) {
    row('switch to the large profile → reloaded', e.largeProfileReloadMs);
    row('  of which the worker loading it', e.largeProfileWorkerLoadMs);
    row('longest extension-host stall meanwhile', e.largeProfileMaxHostStallMs);
  }
  out();
  return e;
}

try {
  await main();
} catch (e) {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`);
  process.exit(1);
}
