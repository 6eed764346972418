/**
 * A child process for the memory-cap tests (memory.test.ts): loads one profile, or opens one
 * untrusted folder in the worker's engine, and prints the process's peak resident set (VmHWM from
 * /proc/self/status) with the outcome as one JSON line. A fresh process per input, so one peak
 * never hides another.
 *
 *   node memory-child.js stream FILE    loadProfileFile (streamed inflate and decode: the CLI, the worker)
 *   node memory-child.js whole FILE     validateForCompiler on the file read whole (refresh, benchmark)
 *   node memory-child.js merge FILE     mergeProfiles of the file read whole (merge, collect, refresh)
 *   node memory-child.js collect FILE   collectOne of the file served over loopback HTTP (collect, refresh)
 *   node memory-child.js worker FOLDER  Engine openWorkspace, untrusted, then every binary's summary
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadProfileFile } from '../../../src/pgo/load';
import { collectOne } from '../../../src/refresh/collect';
import { mergeProfiles } from '../../../src/refresh/merge';
import { validateForCompiler } from '../../../src/refresh/validate';
import { Engine } from '../../../src/worker/engine';
import type { WorkspaceSummary } from '../../../src/worker/protocol';

export interface MemoryChildResult {
  /** Peak resident set of the whole process, MiB. */
  peakMiB: number;
  /** Peak before the load (Node and the modules), MiB. */
  startMiB: number;
  /** `kind: message` of the error, 'accepted', or the worker's per-binary profile errors. */
  outcome: string;
}

export const memoryChildScript: string = __filename;

function vmHwmMiB(): number {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error('no VmHWM in /proc/self/status');
  return Number(m[1]) / 1024;
}

function describe(e: unknown): string {
  const k = (e as { kind?: unknown }).kind;
  return `${typeof k === 'string' ? k : 'untyped'}: ${(e as Error).message}`;
}

/** Serves the file (streamed from disk) to one collect from this process; the outcome is `collect: ` and the result's error. */
async function collect(target: string): Promise<string> {
  const server = http.createServer((_req, res) => fs.createReadStream(target).pipe(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const r = await collectOne(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { seconds: 1, marginSeconds: 100 });
    return r.ok ? 'accepted' : `collect: ${r.error}`;
  } finally {
    server.close();
  }
}

async function run(mode: string, target: string): Promise<string> {
  if (mode === 'whole') {
    const v = await validateForCompiler(fs.readFileSync(target));
    return v.ok ? 'accepted' : `${v.kind}: ${v.error}`;
  } else if (mode === 'merge') await mergeProfiles([{ name: target, bytes: fs.readFileSync(target) }]);
  else if (mode === 'collect') return collect(target);
  else if (mode === 'stream') await loadProfileFile(target);
  else if (mode === 'worker') {
    const engine = new Engine();
    const r = await engine.handle(1, 'openWorkspace', { folders: [target], thresholdPercent: 99, trusted: false });
    if (!r.ok) return `openWorkspace failed: ${r.error.message}`;
    const s = r.value as WorkspaceSummary;
    return s.binaries.map((b) => `${b.mainPackage}: ${b.error ? `${b.error.kind}: ${b.error.message}` : 'accepted'}`).join('\n');
  } else throw new Error(`unknown mode ${mode}`);
  return 'accepted';
}

if (require.main === module) {
  const [mode = '', target = ''] = process.argv.slice(2);
  const startMiB = vmHwmMiB();
  run(mode, target).then(
    (outcome) => process.stdout.write(JSON.stringify({ peakMiB: vmHwmMiB(), startMiB, outcome } satisfies MemoryChildResult) + '\n'),
    (e: unknown) => process.stdout.write(JSON.stringify({ peakMiB: vmHwmMiB(), startMiB, outcome: describe(e) } satisfies MemoryChildResult) + '\n'),
  );
}
