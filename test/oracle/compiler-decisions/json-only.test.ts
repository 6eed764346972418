/**
 * Why the confirmation keeps `-json` (issue #19): a call site refused for its cost (`cost N of F
 * exceeds max caller cost M`) and a recursive call are logged ONLY in the compiler's `-json=0`
 * output (cmd/compile/internal/inline/inl.go canInlineCallExpr logs them with logopt.LogOpt
 * alone; `-m=2` prints only the function-level `cannot inline F: REASON` and `repeated
 * recursive cycle`). One `go build` with `-m=2 -d=pgodebug=1 -json=0,DIR` gives both channels of
 * the same compile: every JSON call refusal in the workspace has no text line at its position,
 * and the decisions parsed from the `-m=2` text alone lack them. Replacing `-json` by `-m=2`
 * would lose the refusals the agreement explains hot sites with (a hot callee refused at a cold
 * site, a big caller's limit of 20, recursion); `-m=2` also costs more CPU than `-json`
 * (docs/performance.md).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type InlineDecision, type JsonFile, parseDecisions } from '../../../src/compiler/decisions';
import { goroot, requireGo, tmpDir } from '../goenv';

const opts = requireGo();
const fixtures = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

function readJson(dir: string): JsonFile[] {
  const out: JsonFile[] = [];
  for (const p of fs.readdirSync(dir).sort())
    for (const f of fs.readdirSync(path.join(dir, p)).sort()) out.push({ name: `${p}/${f}`, text: fs.readFileSync(path.join(dir, p, f), 'utf8') });
  return out;
}

interface Channels {
  text: string;
  json: JsonFile[];
}

/** One `go build` of `target` in `root` with both channels for the module's packages. */
function buildBoth(root: string, module: string, target: string, pgo: string): Channels {
  const tmp = tmpDir('json-only');
  try {
    const jsonDir = path.join(tmp, 'json');
    fs.mkdirSync(jsonDir);
    const r = spawnSync(
      'go',
      ['build', '-o', path.join(tmp, 'a.out'), `-pgo=${pgo}`, `-gcflags=${module}/...=-m=2 -d=pgodebug=1 -json=0,file://${jsonDir}`, target],
      { cwd: root, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' }, maxBuffer: 1 << 30 },
    );
    assert.equal(r.status, 0, r.stderr);
    return { text: r.stderr, json: readJson(jsonDir) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Call-site refusals in files under root that the JSON carries and the `-m=2` text does not. */
function jsonOnlyRefusals(root: string, mainPackage: string, ch: Channels): { both: InlineDecision[]; textOnly: InlineDecision[] } {
  const o = { cwd: root, goroot: goroot(), mainPackage };
  const mine = (c: { file: string; kind: string }): boolean => c.file.startsWith(root + path.sep) && c.kind === 'inline';
  const refused = (d: ReturnType<typeof parseDecisions>): InlineDecision[] =>
    d.calls.filter((c): c is InlineDecision => mine(c) && c.kind === 'inline' && !c.inlined);
  return { both: refused(parseDecisions(ch.text, ch.json, o)), textOnly: refused(parseDecisions(ch.text, [], o)) };
}

/** The `-m=2` lines at a position (`./file.go:L:C: …`, relative to root). */
function textAt(root: string, text: string, c: InlineDecision): string[] {
  return text.split('\n').filter((l) => {
    const m = /^(\S+?):(\d+):(\d+): /.exec(l);
    return !!m && path.resolve(root, m[1]!) === c.file && Number(m[2]) === c.line && Number(m[3]) === c.col;
  });
}

describe('-m=2 text cannot replace -json: call refusals are in the JSON only', opts, () => {
  it('shapes (with its profile): hot callees refused at cold sites (max caller cost 80)', () => {
    const root = path.join(fixtures, 'shapes');
    const ch = buildBoth(root, 'example.com/shapes', './cmd/shapes', path.join(root, 'cmd', 'shapes', 'default.pgo'));
    const { both, textOnly } = jsonOnlyRefusals(root, 'example.com/shapes/cmd/shapes', ch);
    const cost80 = both.filter((c) => c.reason === 'cost' && c.maxCost === 80);
    assert.ok(cost80.length >= 2, `expected refusals of hot callees at cold sites, got ${JSON.stringify(both)}`);
    assert.ok(
      cost80.some((c) => c.calleeFull === 'example.com/shapes/geom.Polygon.Contains'),
      'geom.Polygon.Contains (cost 96, inlinable only thanks to the profile) refused at a cold site',
    );
    for (const c of cost80) {
      assert.ok(c.cost !== undefined && c.cost > 80, `${c.callee}: a callee inlinable only with the hot budget`);
      const lines = textAt(root, ch.text, c);
      assert.ok(!lines.some((l) => l.includes('cannot inline')), `the -m=2 text states the refusal at ${c.line}:${c.col}: ${lines.join(' | ')}`);
      assert.ok(!textOnly.some((t) => t.line === c.line && t.col === c.col && t.file === c.file), 'parsed from the text alone');
    }
  });

  it('a big caller (max caller cost 20) and a recursive call', () => {
    const root = fs.realpathSync(tmpDir('json-only-mod'));
    fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/jsononly\n\ngo 1.22\n');
    const body = Array.from({ length: 700 }, (_, i) => `\tx = x*${(i % 7) + 3} + xs[${i}%len(xs)] ^ (x >> ${i % 13})`).join('\n');
    fs.writeFileSync(
      path.join(root, 'main.go'),
      `package main

func mid(xs []int) int {
\ts := 0
\tfor _, x := range xs {
\t\tif x > 3 {
\t\t\ts += x * 2
\t\t} else {
\t\t\ts -= x
\t\t}
\t}
\treturn s + len(xs)*3
}

func fact(n int) int {
\tif n <= 1 {
\t\treturn 1
\t}
\treturn n * fact(n-1)
}

func big(xs []int) int {
\tx := mid(xs)
${body}
\treturn x
}

func main() {
\tprintln(big([]int{1, 2, 3}), fact(5))
}
`,
    );
    try {
      const ch = buildBoth(root, 'example.com/jsononly', '.', 'off');
      const { both, textOnly } = jsonOnlyRefusals(root, 'example.com/jsononly', ch);
      const bigCaller = both.find((c) => c.reason === 'cost' && c.maxCost === 20 && c.line === 23);
      const recursive = both.find((c) => c.reason === 'recursive' && c.line === 19);
      assert.ok(bigCaller, `mid refused in big (cost over 20): ${JSON.stringify(both)}`);
      assert.ok(recursive, `fact's call to itself: ${JSON.stringify(both)}`);
      for (const c of [bigCaller, recursive]) {
        assert.ok(!textAt(root, ch.text, c).some((l) => l.includes('cannot inline')), `the -m=2 text states the refusal at ${c.line}:${c.col}`);
        assert.ok(!textOnly.some((t) => t.line === c.line && t.col === c.col), 'parsed from the text alone');
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
