/**
 * Oracle for the function facts of a confirmation, which builds with `-m=1`: the compiler's
 * `can inline F with cost N` and `cannot inline F: REASON` (and `should not PGO devirtualize F:
 * R`) are printed only at `-m=2`, so we take the costs and refusals from the `-json=0` lines and
 * name them from the source (function-names.ts). On every corpus module (real code: generics,
 * closures, init functions, vendored modules) one `go build -m=2 -d=pgodebug=1 -json=0,DIR`
 * gives both channels of the same compile: the facts derived from its `-m=1` lines (the `-m=2`
 * forms cut back to what `-m=1` prints) and its JSON must equal, position for position and name
 * for name (type arguments aside: the text prints one line per shape), its `-m=2` lines.
 *
 * One exception, the compiler's: it writes each source file's diagnostics to `<pkg>/<base
 * name>.json` with os.Create, so two files of one compile with the same base name (the
 * package's own `type.go` and `reflect/type.go`, logged for an imported function) truncate each
 * other and only the later one's lines survive. Facts in a file whose JSON was overwritten that
 * way are left out (and counted), only when another file of the same base name took its place.
 * And refusals of another package's (generic) functions compiled here are not taken from the
 * JSON: noder/unified.go re-checks those instantiated while inlining without the profile and
 * with -m lowered to 0, so the JSON holds refusals the text never prints (decisions.ts); they are
 * left out of the expected set too (counted).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { planBuild } from '../../../src/compiler/build';
import { type CompilerDecisions, type FunctionFact, type JsonFile, parsePackage, resolveFile } from '../../../src/compiler/decisions';
import { genericKey } from '../../../src/source/names';
import { nameFunctions, unnamedFunctions } from '../../../src/compiler/function-names';
import { goroot, requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const work = tmpDir('confirm-functions');
after(() => fs.rmSync(work, { recursive: true, force: true }));
const corpus = path.join(__dirname, '..', '..', '..', '..', 'test', 'corpus');

interface Module {
  name: string;
  root: string;
  mainDir: string;
  expected: string;
}

function modules(): Module[] {
  if (!fs.existsSync(corpus)) return [];
  return fs
    .readdirSync(corpus)
    .filter((n) => fs.existsSync(path.join(corpus, n, 'go.mod')))
    .sort()
    .map((n) => {
      const root = path.join(corpus, n);
      const s = JSON.parse(fs.readFileSync(path.join(root, 'expected', 'summary.json'), 'utf8')) as { dir: string; bin: string };
      return { name: n, root, mainDir: path.join(root, s.dir), expected: path.join(root, 'expected', `${s.bin}.pgodebug.txt`) };
    });
}

const POS = /^(\S+?):(\d+):(\d+): (.*)$/;

/** `NAME: REASON` where NAME may hold `: ` inside brackets (shapes: `F[go.shape.struct { a int }]`). */
function splitName(s: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') depth--;
    else if (depth === 0 && ch === ':' && s[i + 1] === ' ') return [s.slice(0, i), s.slice(i + 2)];
  }
  return [s, ''];
}

/** Function facts of -m=2 text as keys (`file:line:col name verdict`, files absolute) and the noDevirt lines. */
function textFacts(text: string, cwd: string, gr: string, dirOf: Map<string, string>): { functions: Set<string>; noDevirt: Set<string>; foreign: number } {
  const functions = new Set<string>();
  const noDevirt = new Set<string>();
  const foreign = new Set<string>();
  let pkgDir: string | undefined;
  for (const line of text.split('\n')) {
    const h = /^# (\S+)$/.exec(line);
    if (h) pkgDir = dirOf.get(h[1]!);
    const p = POS.exec(line);
    if (!p || p[1]!.startsWith('<')) continue;
    const file = p[1]!.startsWith('$GOROOT/') ? path.join(gr, p[1]!.slice('$GOROOT/'.length)) : path.resolve(cwd, p[1]!);
    const at = `${file}:${p[2]}:${p[3]}`;
    const msg = p[4]!;
    let x: RegExpExecArray | null;
    if ((x = /^can inline (.+?) with cost (\d+) as: /.exec(msg))) functions.add(`${at} ${genericKey(x[1]!)} inlinable cost ${x[2]}`);
    else if (msg.startsWith('cannot inline ') && !msg.endsWith(': repeated recursive cycle')) {
      const [name, reason] = splitName(msg.slice('cannot inline '.length));
      // another package's function compiled here (see the file comment)
      if (path.dirname(file) !== pkgDir) foreign.add(`${at} ${genericKey(name)} refused ${reason}`);
      else functions.add(`${at} ${genericKey(name)} refused ${reason}`);
    } else if (msg.startsWith('should not PGO devirtualize ')) {
      const [name, reason] = splitName(msg.slice('should not PGO devirtualize '.length));
      noDevirt.add(`${at} ${name}: ${reason}`);
    }
  }
  return { functions, noDevirt, foreign: foreign.size };
}

/** The -m=2 text cut back to its -m=1 lines: no refusals of functions, no devirtualization refusals, `can inline X` without cost. */
function asM1(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\S+:\d+:\d+: (?:should not PGO devirtualize |cannot inline (?!.* into \S+: repeated recursive cycle$))/.test(l))
    .map((l) => {
      const m = /^(\S+:\d+:\d+: can inline .+?) with cost \d+ as: /.exec(l);
      return m ? m[1]! : l;
    })
    .join('\n');
}

function readJson(dir: string): JsonFile[] {
  const out: JsonFile[] = [];
  for (const p of fs.readdirSync(dir).sort())
    for (const f of fs.readdirSync(path.join(dir, p)).sort()) out.push({ name: `${p}/${f}`, text: fs.readFileSync(path.join(dir, p, f), 'utf8') });
  return out;
}

describe('function facts from -m=1 and the JSON equal the -m=2 lines of the same compile (corpus)', opts, () => {
  const gr = goroot();
  for (const m of modules()) {
    it(m.name, async () => {
      const plan = await planBuild(m.mainDir, m.root);
      const jsonDir = path.join(work, m.name, 'json');
      fs.mkdirSync(jsonDir, { recursive: true });
      const flags = `-m=2 -d=pgodebug=1 -json=0,file://${jsonDir}`;
      const r = spawnSync('go', ['build', '-o', path.join(work, m.name, 'bin'), '-pgo=auto', ...plan.patterns.map((p) => `-gcflags=${p}=${flags}`), '.'], {
        cwd: m.mainDir,
        encoding: 'utf8',
        env: { ...process.env, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' },
        maxBuffer: 1 << 30,
      });
      assert.equal(r.status, 0, r.stderr);
      const text = `${r.stdout}${r.stderr}`;
      const want = textFacts(text, m.mainDir, gr, new Map(plan.packages.map((p) => [p.importPath, p.dir])));
      assert.ok(want.functions.size > 0, 'the -m=2 build printed function facts');

      const json = readJson(jsonDir);
      const popts = { cwd: m.mainDir, goroot: gr, mainPackage: plan.mainPackage, packageNames: plan.packageNames };
      const byDir = new Map(Object.entries(plan.packageDirs));
      // per package, as build.ts parses: a position is named for the compile that logged it
      const blocks = new Map<string, string[]>();
      let current = '';
      for (const l of asM1(text).split('\n')) {
        const h = /^# (\S+)$/.exec(l);
        if (h) current = h[1]!;
        else (blocks.get(current) ?? blocks.set(current, []).get(current)!).push(l);
      }
      const functions: FunctionFact[] = [];
      const noDevirts: CompilerDecisions['noDevirt'] = [];
      for (const p of plan.packages) {
        const dirName = p.dir === m.mainDir ? 'main' : encodeURIComponent(p.importPath);
        const files = json.filter((j) => j.name.startsWith(`${dirName}/`));
        const functionNames = nameFunctions(unnamedFunctions(files, popts), { pkg: p, byDir });
        const d = parsePackage(p.importPath, (blocks.get(p.importPath) ?? []).join('\n'), files, { ...popts, functionNames });
        functions.push(...d.functions);
        noDevirts.push(...d.noDevirt);
      }
      // files whose JSON another file of the same base name overwrote (the compiler's os.Create per base name)
      const survived = new Set(json.map((j) => resolveFile((JSON.parse(j.text.slice(0, j.text.indexOf('\n'))) as { file: string }).file, popts)));
      const bases = new Set([...survived].map((f) => path.basename(f ?? '')));
      let lost = 0;
      for (const set of [want.functions, want.noDevirt])
        for (const k of [...set]) {
          const file = /^(.*?):\d+:\d+ /.exec(k)![1]!;
          if (!survived.has(file) && bases.has(path.basename(file))) {
            set.delete(k);
            lost++;
          }
        }

      const got = new Set(
        functions.map((f) => `${f.file}:${f.line}:${f.col} ${genericKey(f.name)} ${f.inlinable ? `inlinable cost ${f.cost}` : `refused ${f.reason}`}`),
      );
      const rel = (k: string): string => path.relative(m.root, k);
      const missing = [...want.functions].filter((k) => !got.has(k)).map(rel);
      const extra = [...got].filter((k) => !want.functions.has(k)).map(rel);
      assert.deepEqual({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }, { missing: [], extra: [] }, `${m.name}: function facts`);
      const gotNoDevirt = new Set(noDevirts.map((x) => `${x.file}:${x.line}:${x.col} ${x.name}: ${x.reason}`));
      assert.deepEqual([...gotNoDevirt].map(rel).sort(), [...want.noDevirt].map(rel).sort(), `${m.name}: should not PGO devirtualize`);
      console.log(
        `${m.name}: ${want.functions.size} function facts, ${want.noDevirt.size} devirtualization refusals equal; left out: ${lost} lost to the compiler's JSON file name collisions, ${want.foreign} refusals of other packages' functions`,
      );
    });
  }
});
