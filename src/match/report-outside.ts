/**
 * The report's universes (callee costs outside the tree) index outside packages with bodies
 * walked on demand (source/lazy-entries.ts): a universe asks them only for a few entries by
 * symbol. Same entries as the universe's own `indexPackage` of the package.
 */
import type { BuildContext } from '../source/build-tags';
import { lazyOutsideIndex } from '../source/lazy-entries';
import type { PackageIndex } from '../source/model';
import { createSourceResolver, type GoEnvInfo, readPackageFiles } from '../source/packages';
import type { UniverseOptions } from '../source/universe';

/**
 * `tree` (the tree's own indexes) first; else, for a package the universe would index itself, the
 * same index made lazily: the files it names read again (undefined, and the universe indexes it,
 * when they are not those files any more), imports resolved from the package's directory in its
 * module, this context's goos/goarch, the default Go version (as universe.ts indexes).
 */
export function withLazyOutside(tree: UniverseOptions['indexed'], ge: GoEnvInfo, ctx: BuildContext): NonNullable<UniverseOptions['indexed']> {
  const made = new Map<string, PackageIndex | undefined>();
  return (dir, pkgPath, files, module) => {
    const own = tree?.(dir, pkgPath, files, module);
    if (own) return own;
    const key = `${dir}\0${pkgPath}\0${module?.path ?? ''}\0${module?.dir ?? ''}\0${files.join('/')}`;
    if (made.has(key)) return made.get(key);
    const pf = readPackageFiles(dir, ctx);
    let ix: PackageIndex | undefined;
    if (pf && pf.files.length === files.length && pf.files.every((f, i) => f.name === files[i])) {
      const resolver = createSourceResolver({ fromDir: dir, goEnv: ge, ctx, module });
      ix = lazyOutsideIndex(pf.files, { pkgPath, goos: ctx.goos, goarch: ctx.goarch, resolver });
    }
    made.set(key, ix);
    return ix;
  };
}
