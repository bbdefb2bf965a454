/**
 * The one template loader of the three targets. A target's templates are Handlebars files in one
 * folder (`<name><extension>`, e.g. `model-struct.swift.hbs`), shipped with the package. They are
 * read once, eagerly and in name order, on the first render (never during module load, so that
 * importing a generator touches no file), compiled in strict mode (a missing view field throws
 * instead of printing nothing) and without HTML escaping (every value a view model carries is
 * already valid text of the target language). Every template is also registered as a partial
 * under its name, so one template can include another (`{{> header}}`). No helpers are registered:
 * templates hold loops and conditionals only.
 *
 * Reading the generator's own templates is the only file access a generator makes; it never reads
 * user files or the environment, so `generate` stays a pure function of (IR, options).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

export interface TemplateSetOptions {
  /** Who owns the templates, for error messages (`@sync/swift`). */
  owner: string;
  /**
   * Candidate template folders, first existing one wins: typically `new URL('./templates/',
   * import.meta.url)` (running from `src/`) and `new URL('../src/templates/', import.meta.url)`
   * (running from `dist/`).
   */
  folders: readonly URL[];
  /** The file name ending that marks a template (`.swift.hbs`); the rest of the name is its name. */
  extension: string;
  /** Handlebars' `preventIndent` for partials (keep a partial's own indentation). */
  preventIndent?: boolean;
}

export interface TemplateSet<Name extends string> {
  /** Renders template `name` with `view`. The text is returned as the template printed it. */
  render(name: Name, view: object): string;
  /** The names of the loaded templates, sorted. */
  names(): string[];
}

/** A lazily loaded set of templates; see the module comment. */
export function templateSet<Name extends string>(options: TemplateSetOptions): TemplateSet<Name> {
  let compiled: Map<string, Handlebars.TemplateDelegate> | undefined;
  const load = (): Map<string, Handlebars.TemplateDelegate> => {
    if (compiled) return compiled;
    const folder = options.folders.find(
      (f) => statSync(f, { throwIfNoEntry: false })?.isDirectory() === true,
    );
    if (!folder)
      throw new Error(
        `${options.owner}: templates folder not found (looked in ${options.folders
          .map((f) => fileURLToPath(f))
          .join(', ')}); the package is incomplete: reinstall it`,
      );
    // Handlebars is loaded with the first template set that is used, not with the kit (the CLI's
    // writer imports the kit, and a no-op `generate` renders nothing).
    const hb = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
    const compileOptions = {
      strict: true,
      noEscape: true,
      ...(options.preventIndent ? { preventIndent: true } : {}),
    };
    const map = new Map<string, Handlebars.TemplateDelegate>();
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith(options.extension)) continue;
      const name = file.slice(0, -options.extension.length);
      const source = readFileSync(new URL(file, folder), 'utf8');
      hb.registerPartial(name, hb.compile(source, compileOptions));
      map.set(name, hb.compile(source, compileOptions));
    }
    compiled = map;
    return map;
  };
  return {
    render(name, view) {
      const t = load().get(name);
      if (!t)
        throw new Error(
          `${options.owner}: no template ${name}${options.extension} (a generator bug)`,
        );
      return t(view);
    },
    names: () => [...load().keys()],
  };
}
