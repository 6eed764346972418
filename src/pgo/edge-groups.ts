/**
 * Which call edges each sample carries. The compiler's edge weights count a sample once per edge
 * of its two leaf-most frames (inlined frames included), so edge weights sum to more than the
 * profile total and a percentage of the profile cannot be a sum of edge weights. Samples folded by
 * their two leaf-most locations (the decoder's pair table) carry the same edges; each group lists
 * them as indices into `PgoProfile.edges`, with the group's sample value. "The share of the
 * profile a set of edges touches" is then the value of the groups containing one of them.
 *
 * The groups are recorded while the model walks the pairs (model.ts), as graph-edge ids, and
 * named once the named edges are sorted: no second walk, no reference to the decoded tables.
 */
import { grow } from '../profile/grow';

export interface EdgeGroups {
  count: number;
  /** Sample value of each group (the chosen sample type). */
  value: Float64Array;
  /** CSR offsets into `edge` (count + 1). */
  start: Int32Array;
  /** Edge indices into `PgoProfile.edges`, each once per group. */
  edge: Int32Array;
}

/** Groups being recorded: per pair with a non-zero value, the graph-edge ids it adds (CSR). */
export class PairGroups {
  private count = 0;
  private value = new Float64Array(1024);
  private start = new Int32Array(1025);
  private edge = new Int32Array(4096);
  private used = 0;

  /** Starts the next pair's group, with its sample value. */
  open(value: number): void {
    const g = this.count++;
    if (g + 2 > this.start.length) this.start = grow(this.start, g + 2);
    if (g >= this.value.length) this.value = grow(this.value, g + 1);
    this.value[g] = value;
    this.start[g] = this.used;
    this.start[g + 1] = this.used;
  }

  /** Adds a graph edge to the open group. */
  add(graphEdge: number): void {
    if (this.used >= this.edge.length) this.edge = grow(this.edge, this.used + 1);
    this.edge[this.used++] = graphEdge;
    this.start[this.count] = this.used;
  }

  /**
   * The groups over named edges: `namedOf` maps a graph edge to its named edge (-1: none), and
   * `position` a named edge to its index in `PgoProfile.edges` (null: there are no edges). Each
   * edge once per group, in first-seen order; groups without a named edge are dropped.
   */
  named(namedOf: Int32Array, position: Int32Array | null): EdgeGroups {
    const value = new Float64Array(position ? this.count : 0);
    const start = new Int32Array((position ? this.count : 0) + 1);
    let edge = new Int32Array(position ? this.used : 0);
    let n = 0;
    let out = 0;
    for (let g = 0; position && g < this.count; g++) {
      const first = out;
      for (let i = this.start[g]!; i < this.start[g + 1]!; i++) {
        const id = namedOf[this.edge[i]!]!;
        if (id < 0) continue;
        const e = position[id]!;
        let seen = false;
        for (let j = first; j < out && !seen; j++) seen = edge[j] === e;
        if (!seen) edge[out++] = e;
      }
      if (out === first) continue;
      value[n++] = this.value[g]!;
      start[n] = out;
    }
    if (out < edge.length) edge = edge.slice(0, out);
    return { count: n, value: value.slice(0, n), start: start.slice(0, n + 1), edge };
  }
}
