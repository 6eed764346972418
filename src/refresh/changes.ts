/**
 * What a profile refresh changes for one binary: the workspace's source matched with the OLD
 * profile and with the NEW one (two `matchBinary` results over the same source), compared as the
 * compiler's decisions — call sites that became hot or stopped being hot (inline budget 2000
 * instead of 80), devirtualizations that appear, disappear or change target — plus the profile
 * facts (samples, durations, total weight, matched share). Plain data, a one-line summary for a
 * notification and a markdown report for "show details".
 */
import * as path from 'node:path';
import type { BinaryMatch, Devirtualization, InlineCandidate } from '../match/match';
import type { PgoProfile } from '../pgo/model';
import { type EdgeIndex, edgeIndexOf } from '../match/edge-index';
import { shortSymbol } from '../source/names';
import { samplesOf } from './validate';

/** One side of the comparison. */
export interface ChangeSide {
  match: Pick<BinaryMatch, 'inlineCandidates' | 'devirtualizations' | 'matchedPercent' | 'resolved'>;
  profile: Pick<PgoProfile, 'totalWeight' | 'edges' | 'sampleCount' | 'sampleTotal' | 'sampleType' | 'durationNanos'>;
}

export interface SideFacts {
  /** CPU samples (the samples/count total, else Sample records). */
  samples: number;
  /** 0 when the profile does not say. */
  durationNanos: number;
  totalWeight: number;
  /** Hot call sites found in the source (inline candidates). */
  hotCallSites: number;
  devirtualizations: number;
  matchedPercent: number;
}

export interface SiteWeight {
  weight: number;
  /** Of that profile's total edge weight. */
  percent: number;
}

export interface HotSiteChange {
  file: string;
  line: number;
  caller: string;
  callee: string;
  /** The site's edge in the old / new profile (weight 0 when the profile has no such edge). */
  before: SiteWeight;
  after: SiteWeight;
}

export interface DevirtChange {
  change: 'new' | 'gone' | 'retargeted';
  file: string;
  line: number;
  col: number;
  caller: string;
  kind: Devirtualization['kind'];
  /** Target and its weight in the old / new profile (absent for new / gone). */
  before?: { callee: string; weight: number };
  after?: { callee: string; weight: number };
}

export interface ProfileChanges {
  becameHot: HotSiteChange[];
  stoppedHot: HotSiteChange[];
  /** Hot in both. */
  stillHot: number;
  devirtualizations: DevirtChange[];
  before: SideFacts;
  after: SideFacts;
  /** One line for a notification. */
  summary: string;
}

const candKey = (c: Pick<InlineCandidate, 'file' | 'line' | 'caller' | 'callee'>): string => `${c.file}\0${c.line}\0${c.caller}\0${c.callee}`;
const devKey = (d: Pick<Devirtualization, 'file' | 'line' | 'col' | 'caller'>): string => `${d.file}\0${d.line}\0${d.col}\0${d.caller}`;

function facts(s: ChangeSide): SideFacts {
  return {
    samples: samplesOf(s.profile),
    durationNanos: s.profile.durationNanos,
    totalWeight: s.profile.totalWeight,
    hotCallSites: s.match.inlineCandidates.length,
    devirtualizations: s.match.devirtualizations.length,
    matchedPercent: s.match.matchedPercent,
  };
}

/**
 * The profile weight of an inline candidate's call edge in a side's profile: the caller's
 * declaration (from whichever side resolved it) gives the call's offset; the profile's edge
 * (caller, offset, callee) gives the weight.
 */
function weightIn(side: ChangeSide, c: InlineCandidate, sides: ChangeSide[], bySite: EdgeIndex): SiteWeight {
  let offsets: number[] = [];
  for (const s of sides) {
    const r = s.match.resolved.get(c.caller);
    if (!r) continue;
    const calls = r.entry.calls.filter((x) => x.physicalLine === c.line);
    offsets = calls.length ? [...new Set(calls.map((x) => x.offset))] : [c.line - r.entry.physicalStartLine];
    break;
  }
  let weight = 0;
  for (const off of offsets) weight += bySite.weight(c.caller, off, c.callee);
  const total = side.profile.totalWeight;
  return { weight, percent: total > 0 ? (weight / total) * 100 : 0 };
}

/** Compares the compiler's decisions for the same source under the old and the new profile. */
export function diffProfiles(old: ChangeSide, next: ChangeSide): ProfileChanges {
  const oldSites = edgeIndexOf(old.profile);
  const newSites = edgeIndexOf(next.profile);
  const sides = [old, next];
  const oldC = new Map(old.match.inlineCandidates.map((c) => [candKey(c), c]));
  const newC = new Map(next.match.inlineCandidates.map((c) => [candKey(c), c]));
  const change = (c: InlineCandidate): HotSiteChange => ({
    file: c.file,
    line: c.line,
    caller: c.caller,
    callee: c.callee,
    before: weightIn(old, c, sides, oldSites),
    after: weightIn(next, c, sides, newSites),
  });
  const becameHot = [...newC].filter(([k]) => !oldC.has(k)).map(([, c]) => change(c));
  const stoppedHot = [...oldC].filter(([k]) => !newC.has(k)).map(([, c]) => change(c));
  const stillHot = [...newC.keys()].filter((k) => oldC.has(k)).length;
  becameHot.sort((a, b) => b.after.weight - a.after.weight || cmpPos(a, b));
  stoppedHot.sort((a, b) => b.before.weight - a.before.weight || cmpPos(a, b));

  const oldD = new Map(old.match.devirtualizations.map((d) => [devKey(d), d]));
  const newD = new Map(next.match.devirtualizations.map((d) => [devKey(d), d]));
  const devirtualizations: DevirtChange[] = [];
  const base = (d: Devirtualization) => ({ file: d.file, line: d.line, col: d.col, caller: d.caller, kind: d.kind });
  for (const [k, d] of newD) {
    const o = oldD.get(k);
    if (!o) devirtualizations.push({ change: 'new', ...base(d), after: { callee: d.callee, weight: d.weight } });
    else if (o.callee !== d.callee) {
      devirtualizations.push({
        change: 'retargeted',
        ...base(d),
        before: { callee: o.callee, weight: o.weight },
        after: { callee: d.callee, weight: d.weight },
      });
    }
  }
  for (const [k, o] of oldD) if (!newD.has(k)) devirtualizations.push({ change: 'gone', ...base(o), before: { callee: o.callee, weight: o.weight } });
  devirtualizations.sort(cmpPos);

  const c: Omit<ProfileChanges, 'summary'> = { becameHot, stoppedHot, stillHot, devirtualizations, before: facts(old), after: facts(next) };
  return { ...c, summary: summarizeChanges(c) };
}

function cmpPos(a: { file: string; line: number; col?: number }, b: { file: string; line: number; col?: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.col ?? 0) - (b.col ?? 0);
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `30 s`, `1.5 s`, `2 min 5 s`, or `?` when unknown. */
export function formatDuration(ns: number): string {
  if (!(ns > 0)) return '?';
  const s = ns / 1e9;
  if (s < 10) return `${Number(s.toFixed(1))} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return r ? `${m} min ${r} s` : `${m} min`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The one-line summary (see `ProfileChanges.summary`). */
export function summarizeChanges(c: Omit<ProfileChanges, 'summary'>): string {
  const parts: string[] = [];
  const nb = c.becameHot.length;
  const ns = c.stoppedHot.length;
  if (nb && ns) parts.push(`${plural(nb, 'call site')} became hot, ${ns} stopped`);
  else if (nb) parts.push(`${plural(nb, 'call site')} became hot`);
  else if (ns) parts.push(`${plural(ns, 'call site')} stopped being hot`);
  const d = c.devirtualizations;
  if (d.length === 1) {
    const x = d[0]!;
    const where = `${path.posix.basename(x.file)}:${x.line}`;
    if (x.change === 'retargeted')
      parts.push(`devirtualization at ${where} now targets ${shortSymbol(x.after!.callee)} (was ${shortSymbol(x.before!.callee)})`);
    else if (x.change === 'new') parts.push(`new devirtualization at ${where} to ${shortSymbol(x.after!.callee)}`);
    else parts.push(`devirtualization at ${where} to ${shortSymbol(x.before!.callee)} is gone`);
  } else if (d.length > 1) {
    const n = (k: DevirtChange['change']): number => d.filter((x) => x.change === k).length;
    const bits = [n('new') && `${n('new')} new`, n('gone') && `${n('gone')} gone`, n('retargeted') && `${n('retargeted')} retargeted`].filter(Boolean);
    parts.push(`devirtualizations: ${bits.join(', ')}`);
  }
  if (!parts.length) parts.push('no change in hot call sites or devirtualizations');
  parts.push(`${int(c.before.samples)} → ${int(c.after.samples)} samples`);
  if (c.before.durationNanos > 0 || c.after.durationNanos > 0)
    parts.push(`${formatDuration(c.before.durationNanos)} → ${formatDuration(c.after.durationNanos)}`);
  if (Math.abs(c.before.matchedPercent - c.after.matchedPercent) >= 0.5) {
    parts.push(`source match ${c.before.matchedPercent.toFixed(0)}% → ${c.after.matchedPercent.toFixed(0)}%`);
  }
  return parts.join('; ');
}

const pct = (p: number): string => (p === 0 ? '0%' : p < 0.01 ? '<0.01%' : `${p < 1 ? p.toFixed(2) : p.toFixed(1)}%`);
const md = (s: string): string => s.replace(/([\\`*_|<>[\]])/g, '\\$1');

/** A markdown report ("show details"); `title` names the binary or profile. */
export function changesReport(c: ProfileChanges, title = 'Profile refresh'): string {
  const out: string[] = [`# ${md(title)}`, '', c.summary, '', '| | before | after |', '|---|---:|---:|'];
  const row = (name: string, a: string, b: string): void => void out.push(`| ${name} | ${a} | ${b} |`);
  row('samples', int(c.before.samples), int(c.after.samples));
  row('duration', formatDuration(c.before.durationNanos), formatDuration(c.after.durationNanos));
  row('total edge weight', int(c.before.totalWeight), int(c.after.totalWeight));
  row('hot call sites in the source', int(c.before.hotCallSites), int(c.after.hotCallSites));
  row('devirtualized calls', int(c.before.devirtualizations), int(c.after.devirtualizations));
  row('profile matched in the source (% of the profile total)', `${c.before.matchedPercent.toFixed(1)}%`, `${c.after.matchedPercent.toFixed(1)}%`);
  const sites = (head: string, list: HotSiteChange[]): void => {
    if (!list.length) return;
    out.push('', `## ${head} (${list.length})`, '', '| file:line | caller | callee | before | after |', '|---|---|---|---:|---:|');
    for (const s of list) {
      out.push(
        `| ${md(s.file)}:${s.line} | \`${shortSymbol(s.caller)}\` | \`${shortSymbol(s.callee)}\` | ${int(s.before.weight)} (${pct(s.before.percent)}) | ${int(s.after.weight)} (${pct(s.after.percent)}) |`,
      );
    }
  };
  sites('Became hot: inlined with the hot budget (2000)', c.becameHot);
  sites('Stopped being hot: back to the normal budget (80)', c.stoppedHot);
  if (c.devirtualizations.length) {
    out.push('', `## Devirtualizations (${c.devirtualizations.length})`, '', '| file:line:col | caller | change | before | after |', '|---|---|---|---|---|');
    const t = (x?: { callee: string; weight: number }): string => (x ? `\`${shortSymbol(x.callee)}\` (${int(x.weight)})` : '—');
    for (const d of c.devirtualizations)
      out.push(`| ${md(d.file)}:${d.line}:${d.col} | \`${shortSymbol(d.caller)}\` | ${d.change} ${d.kind} call | ${t(d.before)} | ${t(d.after)} |`);
  }
  out.push('', `${plural(c.stillHot, 'call site')} hot before and after.`);
  return out.join('\n') + '\n';
}
