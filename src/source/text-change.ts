/** Where an edited text differs from its previous version (the re-lex and the declaration hashes of an edited file both start from it). */

/** Where two versions of a text differ: [start, oldEnd) in the old one is [start, newEnd) in the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

const BLOCK = 4096;

/** The changed span between two texts (the longest common prefix, then the longest common suffix after it). */
export function textChange(old: string, text: string): TextChange {
  const oldLen = old.length;
  const newLen = text.length;
  const max = Math.min(oldLen, newLen);
  let p = 0;
  while (p + BLOCK <= max && old.slice(p, p + BLOCK) === text.slice(p, p + BLOCK)) p += BLOCK;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let sfx = 0;
  while (sfx + BLOCK <= max - p && old.slice(oldLen - sfx - BLOCK, oldLen - sfx) === text.slice(newLen - sfx - BLOCK, newLen - sfx)) sfx += BLOCK;
  while (sfx < max - p && old.charCodeAt(oldLen - 1 - sfx) === text.charCodeAt(newLen - 1 - sfx)) sfx++;
  return { start: p, oldEnd: oldLen - sfx, newEnd: newLen - sfx };
}
