#!/usr/bin/env node
// Generates a large, realistic CPU profile for the benchmark by scaling a real one:
// $(go env GOROOT)/src/cmd/compile/default.pgo, the production-style profile the Go team ships to
// build the compiler with PGO. Nothing large is committed; the output is deterministic for a given
// target size (and Go/Node versions: the seed profile comes from GOROOT, gzip from node:zlib).
//
//   node scripts/gen-large-profile.mjs [--target-mb N] [--seed S] -o OUT
//
// How it scales (K copies, K chosen from the target size):
// - Application code (functions named `cmd/…`, about two thirds of the profile) is duplicated
//   per copy under a distinct module path (`example.com/m07/cmd/compile/…`), with its own function
//   ids, file names, location ids and code addresses. Start lines and call lines are kept, so every
//   copy has the same line offsets, like a bigger program made of many similar packages.
// - The standard library (runtime, sync, slices, …) and `main` are shared by all copies, as in one
//   bigger binary: application → runtime edges multiply, runtime-internal edges gain weight.
// - Copy 0 is the original profile, unchanged. Each later copy gets a heat factor (log-normal)
//   and each of its samples a jitter (log-normal), and drops ~12% of its samples, all from a seeded
//   PRNG, so copies differ in hotness and in their edge sets. cpu/nanoseconds stays count × period.
//
// MB here means 10^6 bytes of uncompressed protobuf.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const benchDir = join(root, 'bench-data');
export const DEFAULT_TARGET_MB = 50;
const DEFAULT_SEED = 0x5eed_2026;

/** Path of the real profile shipped with the Go toolchain on PATH. */
export function seedProfilePath() {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  return join(goroot, 'src', 'cmd', 'compile', 'default.pgo');
}

/**
 * Bundles the engine straight from src/ with esbuild (a devDependency) into bench-data/engine.cjs
 * and requires it. The bench does not depend on out/ being fresh or on the type check passing.
 */
export async function loadEngine() {
  const { build } = await import('esbuild');
  mkdirSync(benchDir, { recursive: true });
  const outfile = join(benchDir, 'engine.cjs');
  await build({
    stdin: {
      contents: [
        "export { loadProfileFile, loadProfileBytes } from './src/pgo/load';",
        "export { decodePprof, PprofDecoder } from './src/profile/pprof';",
        "export { encodePprof, encodePprofGzip } from './src/profile/encode';",
        "export { serializePreprofile } from './src/pgo/preprofile';",
        "export { modelFromPprof } from './src/pgo/model';",
        "export { pprofNumbers } from './src/pgo/flatcum';",
        "export { gunzip, isGzip } from './src/profile/inflate';",
        "export { hotSet } from './src/pgo/model';",
        "export { profileData, scalesOf } from './src/match/profile-data';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-engine.ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** mulberry32: small, fast, deterministic. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal from two uniforms (Box–Muller). */
function gauss(rand) {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const KEEP_SAMPLE = 0.88;
const ADDR_STRIDE = 2 ** 24; // each copy's code lives 16 MiB further up (the seed's text is < 16 MiB)

/**
 * Builds the scaled pprof tables: `base` is the seed decoded with keepSamples, `copies` ≥ 1.
 * Returns a PprofProfile-shaped object the engine's encoder accepts.
 */
export function scaleProfile(base, copies, seed = DEFAULT_SEED) {
  const S = base.strings;
  const F = base.functions;
  const L = base.locations;
  const B = base.samples;
  if (!B) throw new Error('the seed profile must be decoded with keepSamples');
  const nv = base.nValues;
  const countCol = base.sampleTypes.findIndex((t) => t.type === 'samples' && t.unit === 'count');
  const cpuCol = base.sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  const period = Number(base.period);

  // Strings: the seed's table, then the per-copy names (deduplicated).
  const strings = S.slice();
  const strIdx = new Map();
  strings.forEach((s, i) => strIdx.has(s) || strIdx.set(s, i));
  const intern = (s) => {
    let i = strIdx.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      strIdx.set(s, i);
    }
    return i;
  };

  // Which functions and locations are application code (duplicated per copy).
  const fCopied = new Uint8Array(F.count);
  const fCopiedList = [];
  for (let f = 0; f < F.count; f++) {
    if (S[F.name[f]].startsWith('cmd/')) {
      fCopied[f] = 1;
      fCopiedList.push(f);
    }
  }
  const lCopiedList = [];
  const lCopied = new Uint8Array(L.count);
  for (let l = 0; l < L.count; l++) {
    for (let i = L.lineStart[l]; i < L.lineStart[l + 1]; i++) {
      const f = L.lineFunc[i];
      if (f >= 0 && fCopied[f]) {
        lCopied[l] = 1;
        lCopiedList.push(l);
        break;
      }
    }
  }
  let fStride = 0;
  for (let f = 0; f < F.count; f++) fStride = Math.max(fStride, F.id[f]);
  let lStride = 0;
  for (let l = 0; l < L.count; l++) lStride = Math.max(lStride, L.id[l]);

  // Functions.
  const nF = F.count + (copies - 1) * fCopiedList.length;
  const fn = {
    count: nF,
    id: new Float64Array(nF),
    name: new Int32Array(nF),
    systemName: new Int32Array(nF),
    filename: new Int32Array(nF),
    startLine: new Float64Array(nF),
  };
  fn.id.set(F.id);
  fn.name.set(F.name);
  fn.systemName.set(F.systemName);
  fn.filename.set(F.filename);
  fn.startLine.set(F.startLine);
  const fCopyIx = new Int32Array(F.count); // seed function → its position within a copy's block
  fCopiedList.forEach((f, j) => (fCopyIx[f] = j));
  const renamed = (k, sIdx) => (sIdx === 0 ? 0 : intern(`example.com/m${String(k).padStart(2, '0')}/${S[sIdx]}`));
  for (let k = 1; k < copies; k++) {
    for (let j = 0; j < fCopiedList.length; j++) {
      const f = fCopiedList[j];
      const d = F.count + (k - 1) * fCopiedList.length + j;
      fn.id[d] = F.id[f] + k * fStride;
      fn.name[d] = renamed(k, F.name[f]);
      fn.systemName[d] = F.systemName[f] === F.name[f] ? fn.name[d] : renamed(k, F.systemName[f]);
      fn.filename[d] = renamed(k, F.filename[f]);
      fn.startLine[d] = F.startLine[f];
    }
  }
  const fnOf = (k, f) => (k === 0 || !fCopied[f] ? f : F.count + (k - 1) * fCopiedList.length + fCopyIx[f]);

  // Locations.
  const nL = L.count + (copies - 1) * lCopiedList.length;
  let nLines = L.lineFunc.length;
  let copiedLines = 0;
  for (const l of lCopiedList) copiedLines += L.lineStart[l + 1] - L.lineStart[l];
  nLines += (copies - 1) * copiedLines;
  const loc = {
    count: nL,
    id: new Float64Array(nL),
    mappingId: new Float64Array(nL),
    addrLo: new Uint32Array(nL),
    addrHi: new Uint32Array(nL),
    isFolded: new Uint8Array(nL),
    defined: new Uint8Array(nL),
    lineStart: new Int32Array(nL + 1),
    lineFunc: new Int32Array(nLines),
    lineLine: new Float64Array(nLines),
  };
  loc.id.set(L.id);
  loc.mappingId.set(L.mappingId);
  loc.addrLo.set(L.addrLo);
  loc.addrHi.set(L.addrHi);
  loc.isFolded.set(L.isFolded);
  loc.defined.set(L.defined);
  loc.lineStart.set(L.lineStart);
  loc.lineFunc.set(L.lineFunc);
  loc.lineLine.set(L.lineLine);
  const lCopyIx = new Int32Array(L.count);
  lCopiedList.forEach((l, j) => (lCopyIx[l] = j));
  let lineTop = L.lineFunc.length;
  for (let k = 1; k < copies; k++) {
    for (let j = 0; j < lCopiedList.length; j++) {
      const l = lCopiedList[j];
      const d = L.count + (k - 1) * lCopiedList.length + j;
      loc.id[d] = L.id[l] + k * lStride;
      loc.mappingId[d] = L.mappingId[l];
      const addr = L.addrHi[l] * 4294967296 + L.addrLo[l];
      const moved = addr === 0 ? 0 : addr + k * ADDR_STRIDE;
      loc.addrLo[d] = moved % 4294967296;
      loc.addrHi[d] = Math.floor(moved / 4294967296);
      loc.isFolded[d] = L.isFolded[l];
      loc.defined[d] = L.defined[l];
      loc.lineStart[d] = lineTop;
      for (let i = L.lineStart[l]; i < L.lineStart[l + 1]; i++) {
        const f = L.lineFunc[i];
        loc.lineFunc[lineTop] = f < 0 ? f : fnOf(k, f);
        loc.lineLine[lineTop] = L.lineLine[i];
        lineTop++;
      }
      loc.lineStart[d + 1] = lineTop;
    }
  }
  loc.lineStart[nL] = lineTop;
  const locOf = (k, l) => (k === 0 || !lCopied[l] ? l : L.count + (k - 1) * lCopiedList.length + lCopyIx[l]);

  // Samples: copy 0 verbatim, later copies re-weighted and thinned.
  const rand = prng(seed ^ Math.imul(copies, 0x9e3779b1));
  const maxSamples = B.count * copies;
  const stackStart = new Int32Array(maxSamples + 1);
  const stack = new Int32Array(B.stack.length * copies);
  const values = new Float64Array(maxSamples * nv);
  const labels = [];
  let ns = 0;
  let top = 0;
  for (let k = 0; k < copies; k++) {
    const heat = k === 0 ? 1 : Math.exp(0.9 * gauss(rand));
    for (let i = 0; i < B.count; i++) {
      let factor = 1;
      if (k > 0) {
        if (rand() >= KEEP_SAMPLE) continue;
        factor = heat * Math.exp(0.5 * gauss(rand));
      }
      stackStart[ns] = top;
      for (let s = B.stackStart[i]; s < B.stackStart[i + 1]; s++) stack[top++] = locOf(k, B.stack[s]);
      for (let j = 0; j < nv; j++) values[ns * nv + j] = B.values[i * nv + j];
      if (k > 0 && countCol >= 0) {
        const c0 = B.values[i * nv + countCol];
        const c = Math.max(1, Math.round(c0 * factor));
        values[ns * nv + countCol] = c;
        if (cpuCol >= 0) values[ns * nv + cpuCol] = c0 > 0 ? Math.round((B.values[i * nv + cpuCol] * c) / c0) : c * period;
      } else if (k > 0) {
        for (let j = 0; j < nv; j++) values[ns * nv + j] = Math.round(B.values[i * nv + j] * factor);
      }
      labels.push(B.labels[i]);
      ns++;
    }
  }
  stackStart[ns] = top;

  return {
    ...base,
    strings,
    functions: fn,
    locations: loc,
    durationNanos: base.durationNanos * BigInt(copies),
    sampleCount: ns,
    pairs: { count: 0, caller: new Int32Array(0), leaf: new Int32Array(0), values: new Float64Array(0) },
    samples: {
      count: ns,
      stackStart: stackStart.slice(0, ns + 1),
      stack: stack.slice(0, top),
      values: values.slice(0, ns * nv),
      labels,
    },
  };
}

/**
 * Generates the profile for a target raw size: the copy count comes from the measured marginal
 * size of one copy (encode 1 and 3 copies), so the result is a deterministic function of the target.
 */
export async function generate({ targetMB = DEFAULT_TARGET_MB, seed = DEFAULT_SEED, engine } = {}) {
  const eng = engine ?? (await loadEngine());
  const { readFileSync } = await import('node:fs');
  const seedBytes = readFileSync(seedProfilePath());
  const { pprof: base } = eng.loadProfileBytes(seedBytes, { keepSamples: true });
  const target = targetMB * 1e6;
  const one = eng.encodePprof(scaleProfile(base, 1, seed)).length;
  const three = eng.encodePprof(scaleProfile(base, 3, seed)).length;
  // Later copies cost a little more (ids, string indices and addresses need longer varints), so
  // the first estimate is corrected once from the size it actually gives.
  let copies = Math.max(1, Math.round((target - one) / ((three - one) / 2)) + 1);
  let scaled = scaleProfile(base, copies, seed);
  let raw = eng.encodePprof(scaled);
  if (copies > 1 && Math.abs(raw.length - target) > 0.02 * target) {
    copies = Math.max(1, Math.round(1 + ((copies - 1) * (target - one)) / (raw.length - one)));
    scaled = scaleProfile(base, copies, seed);
    raw = eng.encodePprof(scaled);
  }
  const { gzipSync } = await import('node:zlib');
  const gz = gzipSync(raw); // default level, as encodePprofGzip
  return {
    gz,
    rawBytes: raw.length,
    copies,
    samples: scaled.samples.count,
    locations: scaled.locations.count,
    functions: scaled.functions.count,
  };
}

function parseCli(argv) {
  const o = { targetMB: DEFAULT_TARGET_MB, seed: DEFAULT_SEED, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--target-mb') o.targetMB = Number(val());
    else if (a.startsWith('--target-mb=')) o.targetMB = Number(a.slice(12));
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '-o' || a === '--output') o.out = val();
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node scripts/gen-large-profile.mjs [--target-mb N] [--seed S] -o OUT\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.out) throw new Error('-o OUT is required');
  if (!(o.targetMB > 0)) throw new Error('--target-mb must be a positive number');
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-large-profile: ${e.message}\n`);
    process.exit(2);
  }
  const t0 = performance.now();
  const r = await generate(opts);
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, r.gz);
  const ms = performance.now() - t0;
  process.stdout.write(
    `${opts.out}: ${r.copies} copies of cmd/compile's default.pgo, ${(r.rawBytes / 1e6).toFixed(1)} MB raw, ` +
      `${(r.gz.length / 1e6).toFixed(1)} MB gzip, ${r.samples} samples, ${r.locations} locations, ` +
      `${r.functions} functions (${(ms / 1000).toFixed(1)} s)\n`,
  );
}
