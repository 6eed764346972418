/**
 * Method-set answers kept per universe (issue #14: every match asked them again, about 15 % of an
 * edit's re-match on cmd/compile). A universe's `TypeSource` answers from its resolver, which keeps
 * each package's description for its lifetime (packages.ts `createSourceResolver`, plus the model's
 * shared map): the same question gets the same answer while the `TypeSource` object lives. So the
 * answers are kept in a WeakMap keyed by that object, and a new universe (a re-open, a new build
 * context) starts empty. Workspace edits never reach a universe's types: they change nothing here.
 */
import { implementsInterface, parseMethodSetLines, receiverOfSymbol, type TypeSource } from '../source/method-sets';
import { wrapperReason } from './wrappers';

interface Facts {
  /** Symbol → why it is a compiler-generated wrapper ('' when it is not). */
  wrappers: Map<string, string>;
  /** Receiver and interface method lines → implements (undefined: the sources cannot tell). */
  implementing: Map<string, boolean | undefined>;
}

const byTypes = new WeakMap<TypeSource, Facts>();

function factsOf(types: TypeSource): Facts {
  let f = byTypes.get(types);
  if (!f) {
    f = { wrappers: new Map(), implementing: new Map() };
    byTypes.set(types, f);
  }
  return f;
}

/** `wrapperReason(types, sym)`, asked once per universe. */
export function wrapperReasonOf(types: TypeSource, sym: string): string | undefined {
  const f = factsOf(types);
  let r = f.wrappers.get(sym);
  if (r === undefined) {
    r = wrapperReason(types, sym) ?? '';
    f.wrappers.set(sym, r);
  }
  return r === '' ? undefined : r;
}

/**
 * Whether the receiver of method `callee` implements the interface given by its method-set lines
 * (`CallSite.ifaceMethods`), asked once per universe; undefined when the sources cannot tell or
 * `callee` is not a method.
 */
export function receiverImplements(types: TypeSource, callee: string, ifaceLines: readonly string[]): boolean | undefined {
  const recv = receiverOfSymbol(callee);
  if (!recv) return undefined;
  const f = factsOf(types);
  const key = `${recv.path}\x00${recv.name}\x00${recv.pointer ? 1 : 0}\x00${ifaceLines.join('\x01')}`;
  if (f.implementing.has(key)) return f.implementing.get(key);
  const r = implementsInterface(types, recv, parseMethodSetLines(ifaceLines));
  f.implementing.set(key, r);
  return r;
}
