/**
 * Reads each compile's decisions while the go command is still compiling others. The go command
 * prints a compile's output as one block once the compiler has exited, and the compiler writes its
 * `-json=0` files (one folder per compile) just before exiting; so when a block ends (gooutput.ts
 * `onBlock`), that package's folder is complete, and its JSON can be read and its decisions parsed
 * while later compiles run. A folder is taken only when every file in it names (by its header) a
 * package whose block has ended: a compile still running may have written part of its folder.
 *
 * What it hands back is what reading after the build gives: `finish()` reads the folders not taken
 * yet and returns the JSON by package exactly as `jsonByPackage(readKeptJsonDir(dir))` (folders and
 * files in name order), and `parsed(pkg, text, files)` returns an early parse only when it was made
 * from the same block text and the same JSON (build.ts parses the package itself otherwise).
 *
 * No `vscode` import. Reads the disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompilerDecisions, JsonFile } from './decisions';
import { keptJsonBytes } from './json-read';

export interface ParsedPackage {
  json: JsonFile[];
  decisions: CompilerDecisions;
}

export interface EarlyParseOptions {
  /** The JSON directory of this run (emptied before it). */
  jsonDir: string;
  /** The main package's import path (its JSON header says `main`). */
  mainPackage: string;
  /** Whether a package's decisions may be parsed as soon as its compile ended (a workspace package whose text no later pass replaces). */
  eligible: (pkg: string, files: JsonFile[]) => boolean;
  /** Parses one package's compile (build.ts: names its functions and parses text and JSON). */
  parse: (pkg: string, text: string, files: JsonFile[]) => Promise<CompilerDecisions>;
}

interface Early {
  text: string;
  files: JsonFile[];
  result: Promise<ParsedPackage | undefined>;
}

/** The package a JSON file's header names (`main` read as the main package), or undefined when the header is not complete JSON. */
function headerPackage(f: JsonFile, mainPackage: string): string | undefined {
  try {
    const pkg = (JSON.parse(f.text.slice(0, f.text.indexOf('\n') >>> 0)) as { package?: unknown }).package;
    if (typeof pkg !== 'string') return undefined;
    return pkg === 'main' ? mainPackage : pkg;
  } catch {
    return undefined;
  }
}

export class EarlyParse {
  /** Folders read so far: folder name → its files (kept lines) in name order. */
  private readonly folders = new Map<string, JsonFile[]>();
  /** Packages whose output block has ended (their compile exited), with the block's text. */
  private readonly ended = new Map<string, string>();
  private readonly early = new Map<string, Early>();
  private queue: Promise<void> = Promise.resolve();
  private failed: unknown;

  constructor(private readonly o: EarlyParseOptions) {}

  /** A package's output block ended (gooutput.ts `onBlock`): its folder is complete; read what is complete now. */
  blockEnded(pkg: string, text: string): void {
    this.ended.set(pkg, text);
    this.queue = this.queue.then(() => this.scan(false)).catch((e: unknown) => void (this.failed ??= e));
  }

  /** Reads the folders whose packages have all ended (all of them when `all`). */
  private async scan(all: boolean): Promise<void> {
    let names: string[];
    try {
      names = (await fs.promises.readdir(this.o.jsonDir)).sort();
    } catch {
      return;
    }
    for (const folder of names) {
      if (this.folders.has(folder)) continue;
      const sub = path.join(this.o.jsonDir, folder);
      let fileNames: string[];
      try {
        fileNames = (await fs.promises.readdir(sub)).sort();
      } catch {
        continue;
      }
      if (!all) {
        // a folder of a compile still running: its first file's header is missing, cut short, or names a package not ended
        const first = fileNames[0];
        if (first === undefined) continue;
        const head = keptJsonBytes(`${folder}/${first}`, await fs.promises.readFile(path.join(sub, first)).catch(() => Buffer.alloc(0)));
        const pkg = headerPackage(head, this.o.mainPackage);
        if (pkg === undefined || !this.ended.has(pkg)) continue;
      }
      const files: JsonFile[] = [];
      for (const f of fileNames) files.push(keptJsonBytes(`${folder}/${f}`, await fs.promises.readFile(path.join(sub, f))));
      if (!all && files.some((f) => !this.ended.has(headerPackage(f, this.o.mainPackage) ?? '\0'))) continue; // not all ended: read again later
      this.folders.set(folder, files);
      if (!all) this.parseEnded(files);
    }
  }

  /** Starts parsing the ended packages of a folder just read. */
  private parseEnded(files: JsonFile[]): void {
    const byPkg = new Map<string, JsonFile[]>();
    for (const f of files) {
      const pkg = headerPackage(f, this.o.mainPackage);
      if (pkg !== undefined) byPkg.set(pkg, [...(byPkg.get(pkg) ?? []), f]);
    }
    for (const [pkg, own] of byPkg) {
      const text = this.ended.get(pkg);
      if (text === undefined || this.early.has(pkg) || !this.o.eligible(pkg, own)) continue;
      const result = this.o.parse(pkg, text, own).then(
        (decisions) => ({ json: own, decisions }),
        () => undefined, // parsed again after the build, where an error surfaces
      );
      this.early.set(pkg, { text, files: own, result });
    }
  }

  /**
   * After the go command ended: the JSON of every package, as `jsonByPackage(readKeptJsonDir(dir))`
   * gives it (the folders not read yet are read now).
   */
  async finish(): Promise<Map<string, JsonFile[]>> {
    await this.queue;
    if (this.failed !== undefined) {
      this.folders.clear(); // a folder read failed: read everything again, as a plain read would
      this.early.clear();
    }
    await this.scan(true);
    const out = new Map<string, JsonFile[]>();
    for (const folder of [...this.folders.keys()].sort()) {
      for (const f of this.folders.get(folder) ?? []) {
        const pkg = headerPackage(f, this.o.mainPackage);
        if (pkg !== undefined) out.set(pkg, [...(out.get(pkg) ?? []), f]);
      }
    }
    return out;
  }

  /** Waits for the reads and parses started so far (after a failed or cancelled build). */
  async settle(): Promise<void> {
    await this.queue;
    await Promise.all([...this.early.values()].map((e) => e.result));
  }

  /** The early parse of a package when it was made from exactly this block text and these JSON files. */
  async parsed(pkg: string, text: string, files: JsonFile[]): Promise<ParsedPackage | undefined> {
    const e = this.early.get(pkg);
    if (!e || e.text !== text || e.files.length !== files.length || e.files.some((f, i) => f.name !== files[i]?.name || f.text !== files[i]?.text))
      return undefined;
    return e.result;
  }

  /** Packages parsed while the build ran (for tests and progress). */
  get parsedEarly(): string[] {
    return [...this.early.keys()].sort();
  }
}
