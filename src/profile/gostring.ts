/**
 * Go strings are byte strings. Profile names are almost always UTF-8, but Go's tools pass invalid
 * bytes through unchanged, so we must too: invalid bytes decode to lone surrogates U+DC80–U+DCFF
 * ("surrogateescape", which valid UTF-8 can never produce) and encode back to the same bytes.
 */
const strict = new TextDecoder('utf-8', { fatal: true });

export function decodeGoString(buf: Uint8Array): string {
  try {
    return strict.decode(buf);
  } catch {
    return decodeEscaped(buf);
  }
}

function decodeEscaped(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let cp = 0;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07;
    }
    let ok = n > 0 && i + n < b.length + 1;
    for (let k = 1; ok && k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    // reject overlong forms, surrogates and out-of-range code points
    if (ok && ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += n + 1;
    } else {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    }
  }
  return out;
}

/** True when s carries escaped invalid bytes. */
export function hasEscapedBytes(s: string): boolean {
  return /[\uDC80-\uDCFF]/.test(s) && /(^|[^\uD800-\uDBFF])[\uDC80-\uDCFF]/.test(s);
}

export function encodeGoString(s: string): Buffer {
  if (!hasEscapedBytes(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const prevHigh = i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
    if (u >= 0xdc80 && u <= 0xdcff && !prevHigh) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.from([u - 0xdc00]));
    } else run += s[i];
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}
