/**
 * `@sync/kotlin`: the Android/JVM target. A pure function from the IR to Kotlin files, in stages
 * (see ARCHITECTURE.md): names (naming.ts) → view models (translate/) → text (render.ts +
 * templates/). Nothing here reads the disk except the package's own templates, the environment
 * or the network; the CLI writes the files.
 */
import type { GeneratedFile, GenerateResult, SyncIR, TargetGenerator } from '@sync/core';
import { buildNames } from './naming.js';
import { resolveOptions, type KotlinGeneratorOptions } from './options.js';
import { render } from './render.js';
import { translateAlias } from './translate/alias.js';
import { translateApiClasses, translateApiClient } from './translate/api.js';
import { translateEnum } from './translate/enum.js';
import { translateObject } from './translate/object.js';
import { translatePushRepository } from './translate/push-repository.js';
import { translateUnion } from './translate/union.js';
import { liveFiles } from './translate/live/index.js';
import { editorconfig } from './translate/editorconfig.js';
import { kotlinDiagnostics } from './translate/diagnostics.js';

export type { KotlinGeneratorOptions } from './options.js';

export const VERSION = '0.1.0';

function modelFiles(ir: SyncIR, names: ReturnType<typeof buildNames>): GeneratedFile[] {
  return ir.schemas.map((decl) => {
    const path = `model/${names.types.get(decl.name)!}.kt`;
    switch (decl.kind) {
      case 'object':
        return { path, contents: render('object', translateObject(decl, ir, names)) };
      case 'enum':
        return { path, contents: render('enum', translateEnum(decl, names)) };
      case 'union':
        return { path, contents: render('union', translateUnion(decl, ir, names)) };
      case 'alias':
        return { path, contents: render('alias', translateAlias(decl, names)) };
    }
  });
}

export function generateKotlin(ir: SyncIR, rawOptions: KotlinGeneratorOptions = {}): GenerateResult {
  const options = resolveOptions(rawOptions);
  const names = buildNames(ir, options.package);
  const files: GeneratedFile[] = [
    { path: '.editorconfig', contents: editorconfig() },
    ...modelFiles(ir, names),
    ...translateApiClasses(ir, names).map((vm) => ({ path: `api/${vm.name}.kt`, contents: render('api', vm) })),
    { path: `api/${names.apiClient}.kt`, contents: render('api-client', translateApiClient(ir, names, options.apiBaseUrl)) },
    ...ir.entities
      .filter((e) => e.sync.mode === 'push')
      .map((e) => {
        const vm = translatePushRepository(e, ir, names);
        return { path: `data/${vm.name}.kt`, contents: render('push-repository', vm) };
      }),
    ...liveFiles(ir, names, options),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics: kotlinDiagnostics(ir) };
}

export const generator: TargetGenerator<KotlinGeneratorOptions> = {
  target: 'kotlin',
  version: VERSION,
  generate: generateKotlin,
};

export default generator;
