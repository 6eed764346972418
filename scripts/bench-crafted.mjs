#!/usr/bin/env node
/**
 * Peak memory on crafted profiles (issue #13), part of `npm run bench` (runnable alone:
 * `node scripts/bench-crafted.mjs`). Each input (test/unit/security/crafted-inputs.ts, bundled
 * here, the same bytes memory.test.ts measures) is a small gzip of ~250 MB of tiny messages; each
 * figure is the peak resident set (VmHWM) of a fresh child process that loads it streamed from the
 * file (`loadProfileFile`: the CLI and the worker) or from the file read whole through a real
 * caller (`validateForCompiler`, `mergeProfiles`), and of one that opens an untrusted folder with
 * three main packages, each with a crafted `default.pgo`, in the worker's engine. The caps are the
 * ones memory.test.ts asserts; a row says "capped" only when all its figures are within them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDir, root } from './gen-large-profile.mjs';

const SELF = fileURLToPath(import.meta.url);
const ENGINE = join(benchDir, 'crafted-engine.cjs');
const CAPS = { stream: 256, whole: 512, worker: 512 };

/** Per input: the generator's name in crafted-inputs.ts (and its argument) and the caps of its rows. */
const INPUTS = {
  frames: { gen: 'frames', caps: { stream: CAPS.stream, whole: CAPS.whole, merge: CAPS.whole } },
  strings: { gen: 'strings', caps: { stream: CAPS.stream, whole: CAPS.whole, merge: CAPS.whole } },
  locations: { gen: 'locations', arg: 30, caps: { stream: CAPS.stream, whole: CAPS.whole, merge: CAPS.whole } },
  // Tables just under the decoder's 3× ratio: only the absolute 512 MiB table cap stops them, so
  // every path has the whole-load cap (inflated whole before decoding they peaked at 618–637 MiB).
  strings20: { gen: 'strings20', caps: { stream: CAPS.whole, whole: CAPS.whole, merge: CAPS.whole } },
};

async function bundle() {
  const { build } = await import('esbuild');
  mkdirSync(benchDir, { recursive: true });
  await build({
    stdin: {
      contents: [
        "export { loadProfileFile } from './src/pgo/load';",
        "export { validateForCompiler } from './src/refresh/validate';",
        "export { mergeProfiles } from './src/refresh/merge';",
        "export { Engine } from './src/worker/engine';",
        "export * as crafted from './test/unit/security/crafted-inputs';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-crafted-engine.ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: ENGINE,
    logLevel: 'warning',
  });
}

const hwmMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;

async function childRun(mode, target) {
  const eng = createRequire(import.meta.url)(ENGINE);
  const start = hwmMiB();
  let outcome = 'accepted';
  try {
    if (mode === 'whole') {
      const v = await eng.validateForCompiler(readFileSync(target));
      outcome = v.ok ? 'accepted' : `${v.kind}: ${v.error}`;
    } else if (mode === 'merge') await eng.mergeProfiles([{ name: target, bytes: readFileSync(target) }]);
    else if (mode === 'stream') await eng.loadProfileFile(target);
    else {
      const r = await new eng.Engine().handle(1, 'openWorkspace', { folders: [target], thresholdPercent: 99, trusted: false });
      outcome = r.ok ? r.value.binaries.map((b) => (b.error ? `${b.error.kind}` : 'accepted')).join(', ') : `failed: ${r.error.message}`;
    }
  } catch (e) {
    outcome = `${e.kind ?? 'untyped'}: ${e.message}`;
  }
  return { start, peak: hwmMiB(), outcome };
}

function child(mode, target) {
  const r = spawnSync(process.execPath, [SELF, '--child', mode, target], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`crafted child ${mode} ${target} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Prints the rows through `out`; returns the figures for the bench's JSON. */
export async function craftedRows(out = console.log) {
  await bundle();
  const dir = join(benchDir, 'crafted');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const res = {};
  try {
    out(
      `== Crafted profiles (#13): peak RSS of a fresh child per load (VmHWM). Streamed: loadProfileFile (CLI, worker); whole: the file read whole, ` +
        `then validateForCompiler (refresh, benchmark) or mergeProfiles (merge, collect). Caps: streamed ≤ ${CAPS.stream} MiB (twenty-byte strings ≤ ${CAPS.whole}), whole ≤ ${CAPS.whole} MiB; '!' = over its cap`,
    );
    out(
      `${'input'.padEnd(12)}${'gzip'.padStart(14)}${'streamed'.padStart(12)}${'validate'.padStart(12)}${'merge'.padStart(12)}   refused with (streamed; validate's when it differs)`,
    );
    const { crafted } = createRequire(import.meta.url)(ENGINE);
    for (const [kind, inp] of Object.entries(INPUTS)) {
      const file = join(dir, `${kind}.pgo`);
      const gen = crafted[inp.gen];
      (inp.arg === undefined ? gen : gen(inp.arg)).make(file);
      const s = child('stream', file);
      const w = child('whole', file);
      const m = child('merge', file);
      const gz = statSync(file).size;
      const capped = s.peak <= inp.caps.stream && w.peak <= inp.caps.whole && m.peak <= inp.caps.merge;
      res[kind] = { gzBytes: gz, stream: s, whole: w, merge: m, capped };
      const flag = (r, cap) => `${r.peak.toFixed(0)} MiB${r.peak <= cap ? ' ' : '!'}`;
      out(
        `${kind.padEnd(12)}${`${(gz / 1e6).toFixed(1)} MB gz`.padStart(14)}${flag(s, inp.caps.stream).padStart(12)}${flag(w, inp.caps.whole).padStart(12)}` +
          `${flag(m, inp.caps.merge).padStart(12)}   ${capped ? 'capped' : 'NOT capped'}: ${s.outcome.slice(0, 100)}` +
          `${w.outcome.split(':')[0] !== s.outcome.split(':')[0] ? ` (validate: ${w.outcome.slice(0, 60)})` : ''}`,
      );
    }
    const folder = join(dir, 'repo');
    mkdirSync(folder);
    writeFileSync(join(folder, 'go.mod'), 'module example.com/hostile\n\ngo 1.23\n');
    for (const [i, kind] of ['frames', 'strings', 'frames'].entries()) {
      mkdirSync(join(folder, `cmd${i}`));
      writeFileSync(join(folder, `cmd${i}`, 'main.go'), 'package main\n\nfunc main() {}\n');
      copyFileSync(join(dir, `${kind}.pgo`), join(folder, `cmd${i}`, 'default.pgo'));
    }
    const wk = (res.worker = child('worker', folder));
    out(
      `untrusted folder, three crafted 1–2 MB default.pgo, worker engine: peak ${wk.peak.toFixed(0)} MiB (cap ${CAPS.worker} MiB; Node alone ${wk.start.toFixed(0)} MiB); profiles: ${wk.outcome}`,
    );
    out(
      '  (streamed / whole before session 6: frames 577 / 740 MiB, strings 328 / 559, locations 248 / 485; strings20 440–457 / 618–637 before whole loads ' +
        'streamed; the issue measured 2.2 GB for the untrusted folder)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await childRun(process.argv[3], process.argv[4])));
  process.exit(0);
} else if (process.argv[1] === SELF) {
  await craftedRows();
}
