/**
 * Layering rules, checked on the sources (Nx tags name the layers; this test enforces them):
 * - core depends on no other workspace package;
 * - a generator imports @sync/core and its own files only: never another generator, the CLI, the
 *   dev server or a runtime;
 * - generators do no I/O: outside their Nx adapter (`src/nx/`), tests and the template loader
 *   (which reads the generator's own templates), they never touch the file system, processes,
 *   the network or the environment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './golden/cases.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory())
      return e === 'node_modules' || e === 'dist' || e === '__goldens__' ? [] : sources(full);
    return /\.(ts|tsx)$/.test(e) && !/\.test\.tsx?$/.test(e) ? [full] : [];
  });
}

const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
const generators = readdirSync(path.join(repoRoot, 'generators')).filter((g) =>
  statSync(path.join(repoRoot, 'generators', g, 'src'), { throwIfNoEntry: false })?.isDirectory(),
);

describe('layering', () => {
  it('core imports no other workspace package', () => {
    const bad = sources(path.join(repoRoot, 'packages/core/src')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('@sync/'))
        .map((i) => `${path.relative(repoRoot, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it.each(generators)('generator %s imports only @sync/core among workspace packages', (g) => {
    const bad = sources(path.join(repoRoot, 'generators', g, 'src')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('@sync/') && i !== '@sync/core' && !i.startsWith('@sync/core/') && i !== `@sync/${g}`)
        .map((i) => `${path.relative(repoRoot, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it.each(generators)(
    'generator %s does no I/O outside its Nx adapter and template loader',
    (g) => {
      const io = /^(node:)?(fs|fs\/promises|child_process|net|http|https|dgram|worker_threads)$/;
      const bad = sources(path.join(repoRoot, 'generators', g, 'src'))
        .filter(
          (f) =>
            !f.includes(`${path.sep}nx${path.sep}`) &&
            !f.includes(`${path.sep}testing${path.sep}`) &&
            !/[\\/](templates|render)\.ts$/.test(f),
        )
        .flatMap((f) =>
          [
            ...imports(f).filter((i) => io.test(i)),
            ...(/process\.env|Date\.now\(|new Date\(\)|Math\.random\(/.test(readFileSync(f, 'utf8'))
              ? ['process.env/clock/random']
              : []),
          ].map((i) => `${path.relative(repoRoot, f)} → ${i}`),
        );
      expect(bad).toEqual([]);
    },
  );
});
