/**
 * Binary size: `go tool nm -size -sort size` of both binaries. Text symbols (type T/t) are
 * summed per function and per package (the import path before the function name), and the
 * differences listed; the file sizes are reported too.
 */
import { splitSymbol } from '../source/names';

export interface NmSymbol {
  name: string;
  size: number;
  type: string;
}

export interface SizeDelta {
  name: string;
  off: number;
  pgo: number;
}

export interface SizeResult {
  fileBytes: { off: number; pgo: number };
  textBytes: { off: number; pgo: number };
  packages: SizeDelta[];
  /** Functions whose text size changed (largest change first). */
  functions: SizeDelta[];
}

const NM_LINE = /^\s*[0-9a-f]*\s+(\d+)\s+([A-Za-z])\s+(.+)$/;

/** Parses `go tool nm -size` output: "address size type name". */
export function parseNm(text: string): NmSymbol[] {
  const out: NmSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = NM_LINE.exec(line);
    if (m) out.push({ size: Number(m[1]), type: m[2]!, name: m[3]!.trim() });
  }
  return out;
}

/** The package a text symbol belongs to ("runtime", "example.com/m/work", "main"); a generic's type arguments are ignored. */
export function symbolPackage(name: string): string {
  const bracket = name.indexOf('[');
  return splitSymbol(bracket >= 0 ? name.slice(0, bracket) : name).prefix || name;
}

function textByName(syms: NmSymbol[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of syms) if (s.type === 'T' || s.type === 't') m.set(s.name, (m.get(s.name) ?? 0) + s.size);
  return m;
}

function deltas(off: Map<string, number>, pgo: Map<string, number>): SizeDelta[] {
  const names = new Set([...off.keys(), ...pgo.keys()]);
  const out: SizeDelta[] = [];
  for (const name of names) {
    const a = off.get(name) ?? 0;
    const b = pgo.get(name) ?? 0;
    if (a !== b) out.push({ name, off: a, pgo: b });
  }
  return out.sort((x, y) => Math.abs(y.pgo - y.off) - Math.abs(x.pgo - x.off) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

export function compareSizes(offNm: string, pgoNm: string, fileBytes: { off: number; pgo: number }): SizeResult {
  const off = textByName(parseNm(offNm));
  const pgo = textByName(parseNm(pgoNm));
  const byPkg = (m: Map<string, number>): Map<string, number> => {
    const r = new Map<string, number>();
    for (const [n, s] of m) r.set(symbolPackage(n), (r.get(symbolPackage(n)) ?? 0) + s);
    return r;
  };
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  return { fileBytes, textBytes: { off: sum(off), pgo: sum(pgo) }, packages: deltas(byPkg(off), byPkg(pgo)), functions: deltas(off, pgo) };
}
