/**
 * LineSplitter (runGroup's line splitting on bytes) against the splitting it replaced — a string
 * decoder, `indexOf('\n')`, `replace(/\r$/)` per line — and against decoding the whole stream at
 * once: random texts (ASCII, 2-, 3- and 4-byte characters, `\r\n`, lone `\r`, empty lines, an
 * unfinished last line) cut at random byte offsets, so characters and `\r\n` split across chunks.
 */
import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/platform/line-split';
import { rng } from '../../fuzzing';

/** The splitting runGroup did before (spawn.ts up to 3484a05). */
function reference(chunks: Buffer[]): string[] {
  const out: string[] = [];
  let partial = '';
  const utf8 = new StringDecoder('utf8');
  for (const d of chunks) {
    partial += utf8.write(d);
    let i: number;
    while ((i = partial.indexOf('\n')) >= 0) {
      out.push(partial.slice(0, i).replace(/\r$/, ''));
      partial = partial.slice(i + 1);
    }
  }
  partial += utf8.end();
  if (partial !== '') out.push(partial);
  return out;
}

function split(chunks: Buffer[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  for (const c of chunks) s.write(c);
  s.end();
  return out;
}

const PIECES = ['a', 'go', 'x.go:12:6: can inline f', ' ', '\t', 'é', '€', '😀', '\n', '\n', '\n', '\r\n', '\r\n', '\r', '# cmd/compile', ''];

function randomText(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 60);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)] ?? '';
  return s;
}

function randomCuts(buf: Buffer, r: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const n = r() < 0.3 ? 1 : 1 + Math.floor(r() * 12);
    chunks.push(buf.subarray(at, Math.min(buf.length, at + n)));
    at += n;
  }
  if (r() < 0.2) chunks.splice(Math.floor(r() * (chunks.length + 1)), 0, Buffer.alloc(0)); // an empty read
  return chunks;
}

describe('LineSplitter', () => {
  it('gives the lines the old splitter gave, for random texts cut at random bytes', () => {
    const r = rng(19);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(r);
      const buf = Buffer.from(text, 'utf8');
      const chunks = randomCuts(buf, r);
      const want = reference(chunks);
      assert.deepEqual(split(chunks), want, JSON.stringify(text));
      // and the lines of the whole text decoded at once (lines end at \n; one \r before it dropped; the last line as it is)
      const whole = text.split('\n');
      const last = whole.pop() ?? '';
      assert.deepEqual(want, [...whole.map((l) => l.replace(/\r$/, '')), ...(last ? [last] : [])], JSON.stringify(text));
    }
  });

  it('splits a 4-byte character between every pair of its bytes', () => {
    const buf = Buffer.from('a😀b\r\nc😀\n😀', 'utf8');
    for (let i = 1; i < buf.length; i++) {
      for (let j = i + 1; j < buf.length; j++) {
        const chunks = [buf.subarray(0, i), buf.subarray(i, j), buf.subarray(j)];
        assert.deepEqual(split(chunks), ['a😀b', 'c😀', '😀'], `cuts ${i} ${j}`);
      }
    }
  });

  it('keeps a chunk whose buffer the reader reuses', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    const b = Buffer.from('abc');
    s.write(b);
    b.write('xyz');
    s.write(Buffer.from('d\n'));
    s.end();
    assert.deepEqual(out, ['abcd']);
  });

  it('hands over an unfinished last line with its \\r, and nothing for an empty stream', () => {
    assert.deepEqual(split([Buffer.from('x\r\ny\r')]), ['x', 'y\r']);
    assert.deepEqual(split([]), []);
    assert.deepEqual(split([Buffer.from('\n\n')]), ['', '']);
  });
});
