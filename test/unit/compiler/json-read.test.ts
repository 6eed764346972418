/**
 * json-read.ts reads the compiler's `-json=0` files keeping only the lines the parser reads,
 * searching bytes: it must give exactly what store.ts `keptJson` gives for the whole decoded text,
 * for every file shape (blank lines before the header, CRLF, no trailing newline, multi-byte
 * UTF-8, a kept code in the header, several codes on a line, nothing but blanks).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { keptJsonBytes, readKeptJsonDir } from '../../../src/compiler/json-read';
import { keptJson } from '../../../src/compiler/store';
import { rng } from '../../fuzzing';

const base = fs.mkdtempSync(path.join(tmpdir(), 'pgo-lens-json-read-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

const header = '{"version":0,"package":"example.com/p","goos":"linux","goarch":"amd64","gc_version":"go1.26.8","file":"/w/p/é.go"}';
const line = (code: string, message: string, l = 3): string =>
  `{"range":{"start":{"line":${l},"character":6},"end":{"line":${l},"character":6}},"severity":3,"code":"${code}","source":"go compiler","message":"${message}"}`;
const pieces = [
  line('cannotInlineCall', 'cost 120 of p.f exceeds max caller cost 80'),
  line('canInlineFunction', 'cost: 12'),
  line('cannotInlineFunction', 'function too complex: cost 90 exceeds budget 80'),
  line(': should not PGO devirtualize function', 'callee not found'),
  line('escape', 'make([]int, n) escapes to heap — «ünïcödé»'),
  line('isInBounds', ''),
  line('canInlineFunctionX', 'not a kept code'),
  line('cannotInlineCall', 'a') + ' ' + line('canInlineFunction', 'cost: 1'),
  '',
  '   ',
  '\u00a0',
  '\r',
  'not json at all: "code":"cannotInlineCall"',
  '{"code":"cannotInlineCall"', // cut short
  '{"x":"code":"code":"cannotInlineFunction"}', // a field starting at the last quote of another
  '{"code":"cannotInlineCal"}', // a kept code's prefix
];

describe('json-read (the kept lines of -json=0 files)', () => {
  it('equals keptJson of the decoded text on fixed shapes', () => {
    const texts = [
      `${header}\n${pieces.slice(0, 7).join('\n')}\n`,
      `\n  \n${header}\r\n${pieces[0]}\r\n${pieces[4]}\r\n${pieces[1]}`,
      `${pieces[0]}\n${pieces[1]}\n`, // a kept code in the first line: it is the header, kept once
      '',
      '\n\n  \n',
      `${header}`,
      `${header}\n${pieces[7]}\n${pieces[12]}\n${pieces[13]}\n`,
      `${header}\n${pieces[14]}\n${pieces[15]}\n${pieces[1]}`,
    ];
    for (const text of texts)
      assert.deepEqual(keptJsonBytes('p/a.json', Buffer.from(text, 'utf8')), keptJson([{ name: 'p/a.json', text }])[0], JSON.stringify(text));
    assert.equal(keptJsonBytes('p/a.json', Buffer.from(texts[0]!, 'utf8')).text, `${header}\n${pieces.slice(0, 4).join('\n')}\n`);
  });

  it('equals keptJson of the decoded text on 500 random files', () => {
    const r = rng(19);
    for (let n = 0; n < 500; n++) {
      const parts: string[] = r() < 0.8 ? [header] : [];
      const count = Math.floor(r() * 12);
      for (let i = 0; i < count; i++) parts.push(pieces[Math.floor(r() * pieces.length)]!);
      const sep = r() < 0.2 ? '\r\n' : '\n';
      const text = parts.join(sep) + (r() < 0.5 ? sep : '');
      assert.deepEqual(keptJsonBytes('p/a.json', Buffer.from(text, 'utf8')), keptJson([{ name: 'p/a.json', text }])[0], JSON.stringify(text));
    }
  });

  it('reads a JSON directory in name order with the kept lines only', async () => {
    const dir = path.join(base, 'json');
    fs.mkdirSync(path.join(dir, 'example.com%2fp'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'example.com%2fa'), { recursive: true });
    const a = `${header}\n${pieces[4]}\n${pieces[0]}\n`;
    const b = `${header}\n${pieces[1]}\n${pieces[5]}\n`;
    fs.writeFileSync(path.join(dir, 'example.com%2fp', 'z.json'), a);
    fs.writeFileSync(path.join(dir, 'example.com%2fp', 'b.json'), b);
    fs.writeFileSync(path.join(dir, 'example.com%2fa', 'a.json'), a);
    assert.deepEqual(
      await readKeptJsonDir(dir),
      keptJson([
        { name: 'example.com%2fa/a.json', text: a },
        { name: 'example.com%2fp/b.json', text: b },
        { name: 'example.com%2fp/z.json', text: a },
      ]),
    );
    assert.deepEqual(await readKeptJsonDir(path.join(base, 'missing')), []);
  });
});
