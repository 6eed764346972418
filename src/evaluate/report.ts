/** Plain-text rendering of an evaluate result (the CLI's output and the editor's report document). */
import * as path from 'node:path';
import type { EvaluateResult } from './evaluate';
import { formatDelta, formatP, pctRange } from './stats';

function si(v: number, unit: string): string {
  if (unit !== 'sec/op') return `${v.toPrecision(4)} ${unit}`;
  const units: Array<[number, string]> = [
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'µs'],
    [1e-9, 'ns'],
  ];
  for (const [scale, name] of units) if (Math.abs(v) >= scale || scale === 1e-9) return `${(v / scale).toPrecision(4)}${name}`;
  return String(v);
}

function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function signedBytes(a: number, b: number): string {
  const d = b - a;
  const pct = a ? ` (${d >= 0 ? '+' : ''}${((d / a) * 100).toFixed(2)}%)` : '';
  return `${d >= 0 ? '+' : '-'}${bytes(Math.abs(d))}${pct}`;
}

/** `rel` turns an absolute file into what the reader should see (relative path, or a link target). */
export function formatEvaluate(
  r: EvaluateResult,
  rel: (file: string) => string = (f) => path.relative(process.cwd(), f) || f,
  /** How the reader hides edges (the CLI's flag, or the editor's notification). */
  excludeHint = '--exclude-out FILE',
): string {
  const L: string[] = [];
  L.push(`PGO payoff for ${r.mainPackage} (profile ${rel(r.profile)}, ${r.goVersion})`, '');
  L.push('Speed');
  if (!r.speed) L.push('  not measured (give --bench RE)');
  else {
    L.push(
      `  benchmarks of ${r.speed.pkg}, -pgo=off vs the profile, run alternately; median ± 95% CI, Mann-Whitney U (α = 0.05, "~" = no significant difference):`,
    );
    for (const d of r.speed.deltas) {
      const off = `${si(d.off.center, d.unit)} ± ${pctRange(d.off)}`;
      const pgo = `${si(d.pgo.center, d.unit)} ± ${pctRange(d.pgo)}`;
      L.push(
        `  ${d.name.padEnd(24)} ${d.unit.padEnd(9)} ${off.padStart(16)}  ${pgo.padStart(16)}  ${formatDelta(d.comparison, d.off.center, d.pgo.center).padStart(8)} (${formatP(d.comparison)})`,
      );
      for (const w of [...d.off.warnings, ...d.comparison.warnings]) L.push(`      note: ${w}`);
    }
  }
  L.push('', 'Binary size');
  L.push(
    `  file ${bytes(r.size.fileBytes.off)} → ${bytes(r.size.fileBytes.pgo)} (${signedBytes(r.size.fileBytes.off, r.size.fileBytes.pgo)}); text ${bytes(r.size.textBytes.off)} → ${bytes(r.size.textBytes.pgo)} (${signedBytes(r.size.textBytes.off, r.size.textBytes.pgo)})`,
  );
  for (const p of r.size.packages.slice(0, 10)) L.push(`  package  ${p.name.padEnd(40)} ${signedBytes(p.off, p.pgo)}`);
  for (const f of r.size.functions.slice(0, 15)) L.push(`  function ${f.name.padEnd(40)} ${f.off} → ${f.pgo} B`);
  L.push('', 'Build time');
  if (!r.buildTime) L.push('  not measured');
  else {
    const b = r.buildTime;
    L.push(
      `  cold build ${b.offSeconds.toFixed(1)} s without, ${b.pgoSeconds.toFixed(1)} s with the profile (${signedPct(b.offSeconds, b.pgoSeconds)}); reading the profile: ${b.preprofileSeconds.toFixed(2)} s`,
    );
    L.push(`  method: ${b.method}`);
  }
  L.push('', `Stack frames (hot functions growing by ≥ ${r.frames.thresholdBytes} B are flagged)`);
  if (r.frames.grown.length === 0) L.push('  no frame grows with the profile');
  for (const g of r.frames.grown.slice(0, 20)) {
    const where = g.file ? `${rel(g.file)}:${g.line}` : '?';
    L.push(`  ${g.flagged ? '⚠' : ' '} ${g.symbol}  ${g.off} → ${g.pgo} B (+${g.pgo - g.off})${g.hot ? ' hot' : ''}  ${where}`);
    for (const s of g.inlined.slice(0, 5))
      L.push(`      inlined ${s.callee}${s.frame !== null ? ` (own frame ${s.frame} B)` : ''} at ${rel(s.file)}:${s.line}:${s.col}`);
  }
  for (const f of r.frames.flagged) {
    if (f.edges.length)
      L.push(
        `  to stop it: hide ${f.edges.map((e) => `${e.caller}:+${e.offset} → ${e.callee}`).join(', ')} from the profile (${excludeHint}), or mark the callee //go:noinline`,
      );
  }
  if (r.warnings.length) L.push('', ...r.warnings.map((w) => `warning: ${w}`));
  return L.join('\n') + '\n';
}

function signedPct(a: number, b: number): string {
  if (a <= 0) return '?';
  const p = (b / a - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}
