/**
 * Package variable initialisation order, after types2 `initOrder` (types2/initorder.go):
 * a dependency graph over package-level objects, with functions (and methods) eliminated by
 * connecting their predecessors to their successors, then repeatedly emitting the variable with
 * the fewest outstanding dependencies and, among those, the earliest in source order.
 * Constants always sort first and never carry initialisers, so they are left out here.
 *
 * Approximation: dependencies come from syntax (identifiers resolved through scopes, and a
 * selector `.M` counts as a use of every package method named M, since without types we cannot
 * tell which receiver type is meant). Interface method calls thereby add spurious edges.
 */

export interface VarNode {
  /** Source order across the package (files in order, names in order). */
  order: number;
  /** Initializer unit this variable belongs to (shared by `var a, b = f()`), or -1 if none. */
  unit: number;
  /** Dependencies: 'v:name', 'f:name', 'm:name'. */
  deps: ReadonlySet<string>;
  name: string;
}

/**
 * @param vars all package-level variables (blank ones included, with unique names like `_#3`)
 * @param funcDeps dependencies of functions ('f:name') and method groups ('m:name')
 * @returns initializer units in initialisation order (each at most once)
 */
export function initOrder(vars: VarNode[], funcDeps: ReadonlyMap<string, ReadonlySet<string>>): number[] {
  const varIndex = new Map<string, number>();
  vars.forEach((v, i) => varIndex.set('v:' + v.name, i));

  // Reachable variables of each function node, through function nodes only (Tarjan SCC).
  const reach = new Map<string, Set<number>>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  const strong = (root: string): void => {
    // iterative Tarjan
    const work: { node: string; it: Iterator<string> }[] = [];
    const push = (n: string): void => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, it: (funcDeps.get(n) ?? new Set<string>()).values() });
    };
    push(root);
    while (work.length) {
      const top = at(work, work.length - 1);
      const nx = top.it.next();
      if (!nx.done) {
        const d = nx.value;
        if (d.startsWith('v:')) continue;
        if (!funcDeps.has(d)) continue;
        if (!index.has(d)) push(d);
        else if (onStack.has(d)) low.set(top.node, Math.min(low.get(top.node) as number, index.get(d) as number));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = at(work, work.length - 1).node;
        low.set(parent, Math.min(low.get(parent) as number, low.get(top.node) as number));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        const set = new Set<number>();
        for (const c of comp) {
          for (const d of funcDeps.get(c) ?? []) {
            if (d.startsWith('v:')) {
              const vi = varIndex.get(d);
              if (vi !== undefined) set.add(vi);
            } else {
              const r = reach.get(d);
              if (r) for (const x of r) set.add(x);
            }
          }
        }
        for (const c of comp) reach.set(c, set);
      }
    }
  };
  for (const k of funcDeps.keys()) if (!index.has(k)) strong(k);

  const n = vars.length;
  const succ: Set<number>[] = new Array(n);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const s = new Set<number>();
    for (const d of at(vars, i).deps) {
      if (d.startsWith('v:')) {
        const vi = varIndex.get(d);
        if (vi !== undefined && vi !== i) s.add(vi);
      } else {
        const r = reach.get(d);
        if (r) for (const x of r) if (x !== i) s.add(x);
      }
    }
    succ[i] = s;
  }
  const ndeps = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const si = at(succ, i);
    ndeps[i] = si.size;
    for (const s of si) at(pred, s).push(i);
  }

  // Ready heap by source order.
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => at(vars, a).order < at(vars, b).order;
  const swap = (i: number, j: number): void => {
    const x = at(heap, i);
    heap[i] = at(heap, j);
    heap[j] = x;
  };
  const hpush = (x: number): void => {
    heap.push(x);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(at(heap, i), at(heap, p))) break;
      swap(i, p);
      i = p;
    }
  };
  const hpop = (): number => {
    const top = at(heap, 0);
    const last = at(heap, heap.length - 1);
    heap.pop();
    if (heap.length) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(at(heap, l), at(heap, m))) m = l;
        if (r < heap.length && less(at(heap, r), at(heap, m))) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
    return top;
  };
  const done = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (ndeps[i] === 0) hpush(i);
  const units: number[] = [];
  const emitted = new Set<number>();
  let remaining = n;
  while (remaining > 0) {
    let v: number;
    if (heap.length) v = hpop();
    else {
      // initialisation cycle (a compile error): take the one with the fewest dependencies
      v = -1;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        if (v < 0) v = i;
        else {
          const [di, dv] = [at(ndeps, i), at(ndeps, v)];
          if (di < dv || (di === dv && at(vars, i).order < at(vars, v).order)) v = i;
        }
      }
    }
    if (done[v]) continue;
    done[v] = 1;
    remaining--;
    for (const p of at(pred, v)) {
      if (done[p]) continue;
      const left = at(ndeps, p) - 1;
      ndeps[p] = left;
      if (left === 0) hpush(p);
    }
    const u = at(vars, v).unit;
    if (u >= 0 && !emitted.has(u)) {
      emitted.add(u);
      units.push(u);
    }
  }
  return units;
}

/** `xs[i]` for an index the algorithm keeps in range (a RangeError naming it otherwise). */
function at<T>(xs: ArrayLike<T>, i: number): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`init order: index ${i} out of range (${xs.length})`);
  return x;
}
