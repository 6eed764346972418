/**
 * The module both JSON-collision oracles build: `example.com/coll` with a generic `b.Sum` in
 * b/type.go. A package `a` with its own type.go that instantiates `b.Sum[int]` makes the
 * compiler's `-json` files of the two type.go collide (the caller writes a/type.go and main.go).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeCollisionModule(root: string): void {
  fs.mkdirSync(path.join(root, 'a'));
  fs.mkdirSync(path.join(root, 'b'));
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/coll\n\ngo 1.22\n');
  fs.writeFileSync(
    path.join(root, 'b', 'type.go'),
    'package b\n\nfunc Sum[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\n',
  );
}
