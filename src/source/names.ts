/**
 * Linker symbol names: package path escaping (`pathToPrefix`, `prefixToPath`, `unescapeSymbol`),
 * the generic placeholder form (`genericKey`), the package/name split (`splitSymbol`), the display
 * form (`shortSymbol`) and method names. The one module for linker-name handling: code elsewhere should call these rather than
 * re-implement them (see src/source/README.md).
 */

/**
 * `cmd/internal/objabi.PathToPrefix`: escape, as `%xx` (lowercase hex) of each UTF-8 byte, any
 * byte <= 0x20, '%', '"', >= 0x7F, and '.' after the last '/'.
 */
export function pathToPrefix(path: string): string {
  const slash = path.lastIndexOf('/');
  let needs = false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c === 0x25 || c === 0x22 || c >= 0x7f || (c === 0x2e && i > slash)) {
      needs = true;
      break;
    }
  }
  if (!needs) return path;
  const bytes = Buffer.from(path, 'utf8');
  // the byte index of the last '/' (ASCII, so same count of preceding bytes only if ASCII before it)
  const byteSlash = bytes.lastIndexOf(0x2f);
  let out = '';
  for (const [i, c] of bytes.entries()) {
    if (c <= 0x20 || c === 0x25 || c === 0x22 || c >= 0x7f || (c === 0x2e && i > byteSlash)) {
      out += '%' + (c >> 4).toString(16) + (c & 0xf).toString(16);
    } else out += String.fromCharCode(c);
  }
  return out;
}

/** `objabi.PrefixToPath`: undo pathToPrefix. Returns undefined on a malformed escape. */
export function prefixToPath(prefix: string): string | undefined {
  return decodeEscapes(prefix, true);
}

/**
 * A linker name (or any text holding one) with its `%xx` escapes decoded as UTF-8 bytes, as
 * PrefixToPath decodes a package prefix (`example.com/v%2e2.F` -> `example.com/v.2.F`); a `%`
 * that does not start an escape stays as written.
 */
export function unescapeSymbol(symbol: string): string {
  return decodeEscapes(symbol, false) ?? symbol;
}

function decodeEscapes(s: string, strict: boolean): string | undefined {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h = s.slice(i + 1, i + 3);
      if (/^[0-9a-f]{2}$/.test(h)) {
        bytes.push(parseInt(h, 16));
        i += 3;
        continue;
      }
      if (strict) return undefined;
    }
    const cp = s.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    i += ch.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The placeholder used for the type arguments of generic functions and types. */
export const GENERIC_PLACEHOLDER = '[...]';

/**
 * Rewrite a profile (linker) symbol so generic instantiations compare equal to the index's
 * placeholder form: every top-level `[...]` group (shape or concrete type arguments, including
 * nested brackets and quoted struct tags) becomes `[...]`.
 *
 *   main.(*Stack[go.shape.int]).Push            -> main.(*Stack[...]).Push
 *   main.Sum[go.shape.int,go.shape.string].func1 -> main.Sum[...].func1
 *   main.Sum[int,float64]  (dictionary wrapper)  -> main.Sum[...]
 *
 * Names without brackets are returned unchanged (same string).
 */
export function genericKey(symbol: string): string {
  const first = symbol.indexOf('[');
  if (first < 0) return symbol;
  let out = '';
  let i = first;
  let from = 0;
  const n = symbol.length;
  while (i < n) {
    if (symbol.charCodeAt(i) !== 0x5b /* [ */) {
      i++;
      continue;
    }
    out += symbol.slice(from, i);
    // skip to the matching ']'
    let depth = 0;
    let j = i;
    for (; j < n; j++) {
      const d = symbol.charCodeAt(j);
      if (d === 0x22 /* " */) {
        // quoted string (struct tags in shape type names); skip escapes
        j++;
        while (j < n && symbol.charCodeAt(j) !== 0x22) {
          if (symbol.charCodeAt(j) === 0x5c) j++;
          j++;
        }
        continue;
      }
      if (d === 0x5b) depth++;
      else if (d === 0x5d) {
        depth--;
        if (depth === 0) break;
      }
    }
    out += GENERIC_PLACEHOLDER;
    i = j + 1;
    from = i;
  }
  return from < n ? out + symbol.slice(from) : out;
}

/** Split a linker symbol into package prefix and the name inside the package. */
export function splitSymbol(symbol: string): { prefix: string; name: string } {
  // The package prefix has no '.' after its last '/', so the first '.' after the last '/' that
  // precedes any bracket or parenthesis ends it.
  let limit = symbol.length;
  const b = symbol.indexOf('[');
  if (b >= 0) limit = b;
  const p = symbol.indexOf('(');
  if (p >= 0 && p < limit) limit = p;
  const slash = symbol.lastIndexOf('/', limit);
  const dot = symbol.indexOf('.', slash + 1);
  if (dot < 0) return { prefix: '', name: symbol };
  return { prefix: symbol.slice(0, dot), name: symbol.slice(dot + 1) };
}

/**
 * A linker symbol without its package path, for display, with `%xx` escapes decoded:
 * `example.com/m/checksum%2ev2.(*CRC).Write` -> `checksum.v2.(*CRC).Write`, `main.round` stays.
 */
export function shortSymbol(symbol: string): string {
  const { prefix, name } = splitSymbol(symbol);
  if (!prefix) return unescapeSymbol(name);
  return unescapeSymbol(`${prefix.slice(prefix.lastIndexOf('/') + 1)}.${name}`);
}

/** `T.M`, `(*T).M`, generic receivers get the placeholder. */
export function methodName(recvType: string, pointer: boolean, generic: boolean, method: string): string {
  const t = generic ? recvType + GENERIC_PLACEHOLDER : recvType;
  return pointer ? `(*${t}).${method}` : `${t}.${method}`;
}
