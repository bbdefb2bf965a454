/**
 * Layering rules, checked on the sources (Nx tags name the layers; this test enforces them).
 * The arrows: core ← kit (@sync/codegen) ← generators ← cli; runtimes import no generator.
 * - core depends on no other workspace package;
 * - the kit imports @sync/core only;
 * - a generator imports @sync/core, the kit and its own files only: never another generator, the
 *   CLI, the dev server or a runtime;
 * - a runtime imports no generator, no kit and no CLI;
 * - no cycles between workspace packages, nor between the modules of one generator;
 * - generators do no I/O: outside their Nx adapter (`src/nx/`), tests and the template loader
 *   (which reads the generator's own templates), they never touch the file system, processes,
 *   the network or the environment.
 * - generators do not re-derive the entity model core decided (issue #10): their code (tests and
 *   test helpers aside) never scans `ir.operations` with find/filter/some/every to find an entity's operations (use
 *   `entityOperation` / `operationNamed` from @sync/core, and `Entity.bindings`, `Entity.columns`).
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

/** `@sync/core/diagnostics/format` → `@sync/core`. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, 2).join('/');

const runtimes = readdirSync(path.join(repoRoot, 'packages')).filter(
  (p) =>
    p.endsWith('-runtime') &&
    statSync(path.join(repoRoot, 'packages', p, 'src'), { throwIfNoEntry: false })?.isDirectory(),
);

/** Workspace package → the workspace packages its (non-test) sources import. */
function workspaceGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const base of ['packages', 'generators']) {
    for (const dir of readdirSync(path.join(repoRoot, base))) {
      const src = path.join(repoRoot, base, dir, 'src');
      const pkg = path.join(repoRoot, base, dir, 'package.json');
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      if (!statSync(pkg, { throwIfNoEntry: false })?.isFile()) continue;
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name: string }).name;
      const edges = new Set(
        sources(src)
          .flatMap(imports)
          .filter((i) => i.startsWith('@sync/'))
          .map(packageOf)
          .filter((i) => i !== name),
      );
      graph.set(name, edges);
    }
  }
  return graph;
}

/** Every import cycle of `graph` (node → the nodes it imports), as `a → b → a`. */
function cyclesOf(graph: ReadonlyMap<string, Iterable<string>>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      return;
    }
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return cycles;
}

/** Module of `src` (relative, no extension) → the modules of `src` it imports (non-test). */
function moduleGraph(src: string): Map<string, string[]> {
  const id = (file: string) => path.relative(src, file).split(path.sep).join('/');
  return new Map(
    sources(src).map((f) => [
      id(f).replace(/\.tsx?$/, ''),
      imports(f)
        .filter((i) => i.startsWith('.'))
        .map((i) => id(path.resolve(path.dirname(f), i)).replace(/\.js$/, '')),
    ]),
  );
}

describe('layering', () => {
  it('core imports no other workspace package', () => {
    const bad = sources(path.join(repoRoot, 'packages/core/src')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('@sync/'))
        .map((i) => `${path.relative(repoRoot, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('the kit (@sync/codegen) imports only @sync/core among workspace packages', () => {
    const bad = sources(path.join(repoRoot, 'packages/codegen/src')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('@sync/') && packageOf(i) !== '@sync/core')
        .map((i) => `${path.relative(repoRoot, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it.each(generators)(
    'generator %s imports only @sync/core and the kit among workspace packages',
    (g) => {
      const allowed = new Set(['@sync/core', '@sync/codegen', `@sync/${g}`]);
      const bad = sources(path.join(repoRoot, 'generators', g, 'src')).flatMap((f) =>
        imports(f)
          .filter((i) => i.startsWith('@sync/') && !allowed.has(packageOf(i)))
          .map((i) => `${path.relative(repoRoot, f)} → ${i}`),
      );
      expect(bad).toEqual([]);
    },
  );

  it('runtimes import no generator, no kit and no CLI', () => {
    const forbidden = new Set([
      ...generators.map((g) => `@sync/${g}`),
      '@sync/codegen',
      '@sync/cli',
    ]);
    const found = runtimes.flatMap((r) =>
      sources(path.join(repoRoot, 'packages', r, 'src')).flatMap((f) =>
        imports(f)
          .filter((i) => forbidden.has(packageOf(i)))
          .map((i) => `${path.relative(repoRoot, f).split(path.sep).join('/')} → ${packageOf(i)}`),
      ),
    );
    expect(found).toEqual([]);
  });

  it('workspace packages import each other without cycles', () => {
    const graph = workspaceGraph();
    expect(graph.get('@sync/cli')).toContain('@sync/codegen');
    expect(cyclesOf(graph)).toEqual([]);
  });

  it.each(generators)('generator %s: its own modules import each other without cycles', (g) => {
    const src = path.join(repoRoot, 'generators', g, 'src');
    const graph = moduleGraph(src);
    expect(graph.size).toBeGreaterThan(5);
    expect(cyclesOf(graph)).toEqual([]);
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

/**
 * SQL comes from core's builders (packages/core/docs/sql.md): generators hold no DDL of their own,
 * and the two SQLite targets emit the same schema.
 */
describe('SQL from core', () => {
  const DDL =
    /\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW|TRIGGER|INDEX|UNIQUE\s+INDEX|SEQUENCE|FUNCTION)|ALTER\s+TABLE|DROP\s+(?:TABLE|VIEW|TRIGGER|INDEX))\b/;
  /** Source text without comments (a `//` inside a string only hides more text: a ban stays safe). */
  const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

  function generatorFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((e) => {
      const full = path.join(dir, e);
      if (statSync(full).isDirectory())
        return ['node_modules', 'dist', '__goldens__', 'testing', 'nx'].includes(e)
          ? []
          : generatorFiles(full);
      return /\.(ts|tsx|hbs)$/.test(e) && !/\.test\.tsx?$/.test(e) ? [full] : [];
    });
  }

  it.each(generators)('generator %s writes no CREATE/ALTER/DROP statement of its own', (g) => {
    const bad = generatorFiles(path.join(repoRoot, 'generators', g, 'src')).flatMap((f) => {
      const m = DDL.exec(code(readFileSync(f, 'utf8')));
      return m ? [`${path.relative(repoRoot, f)}: ${m[0]}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('the dev server takes its DDL from core', () => {
    const dir = path.join(repoRoot, 'packages/dev-server/src');
    const bad = sources(dir).flatMap((f) => {
      const m = DDL.exec(code(readFileSync(f, 'utf8')));
      return m ? [`${path.relative(repoRoot, f)}: ${m[0]}`] : [];
    });
    expect(bad).toEqual([]);
  });

  /** A Kotlin `"…"` literal's value. */
  const kotlinString = (lit: string) =>
    lit
      .slice(1, -1)
      .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
        e.length === 5
          ? String.fromCharCode(parseInt(e.slice(1), 16))
          : (({ n: '\n', t: '\t', r: '\r', b: '\b' } as Record<string, string>)[e] ?? e),
      );

  it('Swift and Kotlin emit the same SQLite schema for every live entity (goldens)', async () => {
    const { extractSqlConstants } = await import('../generators/swift/src/testing/swift-sql.js');
    const goldens = (g: string) => path.join(repoRoot, 'generators', g, '__goldens__');
    const fixtures = readdirSync(goldens('kotlin')).filter((f) =>
      statSync(path.join(goldens('swift'), f), { throwIfNoEntry: false })?.isDirectory(),
    );
    let compared = 0;
    for (const fixture of fixtures) {
      const kotlin: string[] = [];
      const data = path.join(goldens('kotlin'), fixture, 'data');
      for (const f of statSync(data, { throwIfNoEntry: false })?.isDirectory()
        ? readdirSync(data)
        : []) {
        const text = readFileSync(path.join(data, f), 'utf8');
        const get = (name: string) =>
          new RegExp(`const val ${name}: String = ("(?:[^"\\\\]|\\\\.)*")`).exec(text)?.[1];
        const [s, l, v] = ['CREATE_SYNCED', 'CREATE_LOCAL', 'CREATE_VIEW'].map(get);
        if (s !== undefined && l !== undefined && v !== undefined)
          kotlin.push([s, l, v].map(kotlinString).join('\n;\n'));
      }
      const swift: string[] = [];
      const live = path.join(goldens('swift'), fixture, 'Live');
      for (const f of statSync(live, { throwIfNoEntry: false })?.isDirectory()
        ? readdirSync(live)
        : []) {
        if (!f.endsWith('SQL.swift')) continue;
        const consts = await extractSqlConstants(readFileSync(path.join(live, f), 'utf8'));
        const get = (n: string) => consts.find((c) => c.name.endsWith(`.${n}`))?.sql;
        const [s, l, v] = ['createSynced', 'createLocal', 'createView'].map(get);
        if (s !== undefined && l !== undefined && v !== undefined)
          swift.push([s, l, v].join('\n;\n'));
      }
      expect(kotlin.sort(), fixture).toEqual(swift.sort());
      compared += kotlin.length;
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  }, 60_000);
});

describe('one entity model, decided in core', () => {
  const SCAN = /\.operations\s*\.\s*(find|filter|some|every|findIndex|findLast)\s*\(/;
  it.each(generators)('generator %s does not scan ir.operations', (g) => {
    const files = sources(path.join(repoRoot, 'generators', g, 'src')).filter(
      (f) => !f.includes(`${path.sep}testing${path.sep}`),
    );
    const bad = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => SCAN.test(line))
        .map(({ i }) => `${path.relative(repoRoot, f)}:${i + 1}`),
    );
    expect(bad).toEqual([]);
  });
});
