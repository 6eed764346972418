/**
 * Reads the compiler's `-json=0` directory keeping only the lines decisions.ts reads (what
 * store.ts `keptJson` keeps), without decoding the rest. A cmd/compile edit's 6 compiles write
 * 24 MB of JSON, almost all escape analysis and bounds checks; decoding it whole and splitting it
 * into lines was the largest part of reading an edit's decisions. Here each file is searched as
 * bytes for the kept codes, and only the header and the lines holding one are decoded. The result
 * equals `keptJson` of the whole decoded text (test/unit/compiler/json-read.test.ts): lines end at
 * `\n` bytes, which never occur inside a UTF-8 sequence, so decoding a line alone decodes it as
 * decoding the file does.
 *
 * No `vscode` import. Reads the disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonFile } from './decisions';
import { KEPT_JSON_CODES } from './store';

/** Every kept line holds `"code":"` followed by one of these (a kept code and its closing quote). */
const FIELD = Buffer.from('"code":"', 'utf8');
const TAILS = KEPT_JSON_CODES.map((c) => Buffer.from(`${c}"`, 'utf8'));
const NL = 10;

/** Whether `buf` holds one of TAILS at `at`. */
function keptTailAt(buf: Buffer, at: number): boolean {
  const b = buf[at];
  for (const t of TAILS) if (b === t[0] && at + t.length <= buf.length && buf.compare(t, 0, t.length, at, at + t.length) === 0) return true;
  return false;
}

/** `keptJson` of one file's bytes: its first non-blank line, then the later lines holding a kept code, in file order. */
export function keptJsonBytes(name: string, buf: Buffer): JsonFile {
  // the header: the first line that is not blank (String#trim, as keptJson's filter)
  let at = 0;
  let header = '';
  let headerEnd = buf.length;
  while (at < buf.length) {
    const nl = buf.indexOf(NL, at);
    const end = nl < 0 ? buf.length : nl;
    const line = buf.toString('utf8', at, end);
    at = end + 1;
    if (line.trim()) {
      header = line;
      headerEnd = end;
      break;
    }
  }
  // the starts of the lines after the header that hold a kept code (a line once, however many it holds): one search for
  // `"code":"` (every kept field starts with it; most lines hold it once) rather than one per code; the next search starts one
  // byte on, as `"code":"code":"…` holds a second field at the first one's last quote
  const starts = new Set<number>();
  for (let i = buf.indexOf(FIELD, headerEnd); i >= 0; i = buf.indexOf(FIELD, i + 1)) {
    if (keptTailAt(buf, i + FIELD.length)) starts.add(buf.lastIndexOf(NL, i) + 1);
  }
  const lines = [header];
  for (const s of [...starts].sort((a, b) => a - b)) {
    const nl = buf.indexOf(NL, s);
    lines.push(buf.toString('utf8', s, nl < 0 ? buf.length : nl));
  }
  return { name, text: lines.join('\n') + '\n' };
}

/** The `-json=0` files of a JSON directory (`<escaped package>/<base name>.json`), in name order, with the kept lines only. */
export function readKeptJsonDir(dir: string): Promise<JsonFile[]> {
  return readJsonFiles(dir, keptJsonBytes);
}

/** The `-json=0` files of a JSON directory (`<escaped package>/<base name>.json`) in name order, each made a JsonFile by `take`. */
export async function readJsonFiles(dir: string, take: (name: string, bytes: Buffer) => JsonFile): Promise<JsonFile[]> {
  const out: JsonFile[] = [];
  let pkgs: string[];
  try {
    pkgs = (await fs.promises.readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const p of pkgs) {
    const sub = path.join(dir, p);
    let files: string[];
    try {
      files = (await fs.promises.readdir(sub)).sort();
    } catch {
      continue;
    }
    for (const f of files) out.push(take(`${p}/${f}`, await fs.promises.readFile(path.join(sub, f))));
  }
  return out;
}
