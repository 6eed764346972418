/**
 * Promoted-method wrappers: for `type T struct{ *miniNode }` the compiler generates `pkg.(*T).Op`
 * (and `pkg.T.Op`) calling the embedded `(*miniNode).Op`, and for a value method `T.M` the
 * pointer wrapper `pkg.(*T).M`. Profiles name these wrappers; the source declares none, yet they
 * exist whenever the method set says so: they match, and are never reported as renamed or removed.
 */
import { methodSet, receiverOfSymbol, type TypeSource } from '../source/method-sets';
import { genericKey } from '../source/index';

/** Why `sym` is a compiler-generated method wrapper, or undefined when it is not (or the types are unknown). */
export function wrapperReason(types: TypeSource, sym: string): string | undefined {
  if (sym.includes('[')) return undefined;
  const recv = receiverOfSymbol(sym);
  if (!recv) return undefined;
  const ms = methodSet(types, { path: recv.path, name: recv.name, pointer: recv.pointer });
  if (!ms) return undefined;
  const m = [...ms.methods.values()].find((x) => x.name === recv.method);
  if (!m) return undefined;
  const own = m.symbol !== undefined && genericKey(m.symbol) === genericKey(sym);
  if (own) return undefined;
  const on = `${m.pointerReceiver ? '(*' : ''}${m.declaredOn.name}${m.pointerReceiver ? ')' : ''}.${m.name}`;
  return m.depth > 0 ? `promoted-method wrapper of ${on} (compiler-generated)` : `pointer-receiver wrapper of ${on} (compiler-generated)`;
}
