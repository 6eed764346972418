// Helpers shared by the scripts that regenerate Go outputs for tests (scripts/fixtures.mjs for
// test/fixtures, scripts/corpus.mjs for test/corpus): running the go command in a stable
// environment, normalizing compiler output so committed files do not depend on the machine,
// reading -S symbols and profile start lines. See scripts/fixtures.mjs for what the
// normalization does and why.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

// A stable environment for the go command: no user GOFLAGS (e.g. -pgo=off or -trimpath
// would change every output), no workspace, no toolchain switching.
export const goEnv = {
  ...process.env,
  GOFLAGS: '-buildvcs=false',
  GOWORK: 'off',
  GO111MODULE: 'on',
  GOTOOLCHAIN: 'local',
};

/** A failure the calling script reports as `<script>: message` before exiting with status 1. */
export class ScriptError extends Error {}

/**
 * Runs a command; returns {status, out, stderr} where out is stdout, or stdout+stderr with
 * `merge` (go build writes compiler output and its own messages to stderr only, so the two
 * concatenated are the combined stream). `env` entries override goEnv; an undefined value
 * removes the variable. Throws ScriptError when the command cannot start or (without
 * `allowFail`) exits non-zero.
 */
export function run(cmd, args, cwd, { merge = false, allowFail = false, env = {} } = {}) {
  const fullEnv = { ...goEnv, ...env };
  for (const k of Object.keys(fullEnv)) if (fullEnv[k] === undefined) delete fullEnv[k];
  const r = spawnSync(cmd, args, { cwd, env: fullEnv, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    if (r.error.code === 'ENOENT' && cmd === 'go') {
      throw new ScriptError("the Go toolchain ('go') was not found on PATH; install Go 1.23 or later to regenerate these files");
    }
    throw new ScriptError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  }
  const out = merge ? r.stdout + r.stderr : r.stdout;
  if (r.status !== 0 && !allowFail) {
    throw new ScriptError(`${cmd} ${args.join(' ')} (in ${relative(repoRoot, cwd) || '.'}) exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return { status: r.status, out, stderr: r.stderr };
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces `from` with `to` where it starts a path: at the beginning of a line or after
 * a space, tab, '(' or '"' (the go command's replacePrefix only considers the first three;
 * -S output puts positions after '(').
 */
export function replacePathPrefix(text, from, to) {
  if (!from) return text;
  const re = new RegExp(`(^|[ \\t("])${escapeRe(from)}(?=/)`, 'gm');
  return text.replace(re, (_, pre) => pre + to);
}

export function makeNormalizer(moduleRoot, goroot) {
  const gorootRel = relative(moduleRoot, goroot).split(sep).join('/');
  return (text) => {
    let t = replacePathPrefix(text, goroot, '$GOROOT');
    if (gorootRel.startsWith('..')) t = replacePathPrefix(t, gorootRel, '$GOROOT');
    // Absolute paths inside the module: relative to the module root, without "./".
    t = t.replace(new RegExp(`(^|[ \\t("])${escapeRe(moduleRoot)}/`, 'gm'), (_, pre) => pre);
    return t;
  };
}

/** Splits go build output into `# pkg` blocks and orders them by `order` (import paths). */
export function reorderBlocks(text, order) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const pre = [];
  const blocks = [];
  for (const line of lines) {
    if (line.startsWith('# ')) blocks.push({ pkg: line.slice(2), lines: [line] });
    else if (blocks.length) blocks[blocks.length - 1].lines.push(line);
    else pre.push(line);
  }
  const rank = (p) => {
    const i = order.indexOf(p);
    return i < 0 ? order.length : i;
  };
  blocks.sort((a, b) => rank(a.pkg) - rank(b.pkg) || (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0));
  return [...pre, ...blocks.flatMap((b) => b.lines)].join('\n') + '\n';
}

/** Parses TEXT lines of -S output into [{symbol, file, line}] (deduplicated). */
export function parseTextSymbols(asm, normalizePath) {
  // e.g. "\t0x0000 00000 (/abs/geom/geom.go:36)\tTEXT\texample.com/shapes/geom.Circle.Area(SB), NOSPLIT|ABIInternal, $0-24"
  const re = /^\t0x[0-9a-f]+ \d+ \((.*):(\d+)\)\tTEXT\t(.*)\(SB\)(?:,|$)/gm;
  const seen = new Map();
  const conflicts = [];
  for (const m of asm.matchAll(re)) {
    const file = normalizePath(m[1]);
    const line = Number(m[2]);
    const symbol = m[3];
    const prev = seen.get(symbol);
    if (prev) {
      if (prev.file !== file || prev.line !== line) conflicts.push(`${symbol}: ${prev.file}:${prev.line} vs ${file}:${line}`);
      continue;
    }
    seen.set(symbol, { symbol, file, line });
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const syms = [...seen.values()].sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.symbol, b.symbol));
  return { syms, conflicts };
}

/**
 * Reads a profile with `go tool pprof -raw`: total sample count and, per function name,
 * the start line(s) recorded in the profile.
 */
export function readProfile(moduleRoot, profile) {
  const { out } = run('go', ['tool', 'pprof', '-raw', profile], moduleRoot);
  let samples = 0;
  const starts = new Map();
  let section = '';
  for (const line of out.split('\n')) {
    if (/^(Samples|Locations|Mappings):?$/.test(line)) {
      section = line.replace(':', '');
      continue;
    }
    if (section === 'Samples') {
      const m = /^\s+(\d+)\s+\d+:/.exec(line);
      if (m) samples += Number(m[1]);
    } else if (section === 'Locations') {
      // "    12: 0x4d22ce M=1 pkg.F /abs/file.go:36:0 s=36" and, for inlined frames,
      // "             pkg.G /abs/file.go:40:0 s=39". Names may contain spaces.
      const m = /^\s+(?:\d+: 0x[0-9a-f]+ M=\d+ )?(.+) (\S+):(\d+):(\d+) s=(\d+)$/.exec(line);
      if (m) {
        const set = starts.get(m[1]) ?? new Set();
        set.add(Number(m[5]));
        starts.set(m[1], set);
      }
    }
  }
  return { samples, starts };
}

/** Compares the profile's Function.start_line with the -S TEXT line of the same symbol. */
export function checkStartLines(profileStarts, syms) {
  const bySym = new Map(syms.map((s) => [s.symbol, s]));
  let checked = 0;
  const mismatches = [];
  for (const [name, lines] of profileStarts) {
    const s = bySym.get(name);
    if (!s || s.file === '<autogenerated>') continue;
    checked++;
    if (lines.size !== 1 || !lines.has(s.line)) mismatches.push(`${name}: profile s=${[...lines].join(',')}, TEXT ${s.file}:${s.line}`);
  }
  return { checked, mismatches };
}

export function modulePath(moduleRoot) {
  const m = /^module\s+(\S+)/m.exec(readFileSync(join(moduleRoot, 'go.mod'), 'utf8'));
  if (!m) throw new ScriptError(`${moduleRoot}/go.mod has no module line`);
  return m[1];
}

export function listPackages(moduleRoot) {
  const { out } = run('go', ['list', '-f', '{{.Name}}\t{{.ImportPath}}\t{{.Dir}}', './...'], moduleRoot);
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [name, importPath, dir] = l.split('\t');
      return { name, importPath, dir };
    });
}

/** A command line as one shell-quoted string, for summary.json and the READMEs. */
export function shellLine(argv) {
  return argv.map((a) => (/^[\w@%+=:,./$-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
