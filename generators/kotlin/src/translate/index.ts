/**
 * Translate stage: IR + options → one plan per generated file (`plan.ts`), sorted by path. Names
 * come from naming.ts; each translate function builds the view model of one artifact. Nothing here
 * renders: render.ts prints the plans.
 */
import { bannerLines } from '@sync/codegen';
import type { SyncIR } from '@sync/core';
import { bannerComment, buildNames, type NameTable } from '../naming.js';
import type { ResolvedOptions } from '../options.js';
import type { EditorconfigView, KotlinPlan } from '../plan.js';
import { translateAlias } from './alias.js';
import { translateApiClasses, translateApiClient } from './api.js';
import { translateEnum } from './enum.js';
import { liveFiles } from './live/index.js';
import { translateObject } from './object.js';
import { translatePushRepository } from './push-repository.js';
import { translateUnion } from './union.js';

/** Who wrote the files, for the banner. */
export interface Generator {
  name: string;
  version: string;
}

function modelPlans(ir: SyncIR, names: NameTable): KotlinPlan[] {
  return ir.schemas.map((decl): KotlinPlan => {
    const path = `model/${names.types.get(decl.name)!}.kt`;
    switch (decl.kind) {
      case 'object':
        return { path, template: 'object', view: translateObject(decl, ir, names) };
      case 'enum':
        return { path, template: 'enum', view: translateEnum(decl, names) };
      case 'union':
        return { path, template: 'union', view: translateUnion(decl, ir, names) };
      case 'alias':
        return { path, template: 'alias', view: translateAlias(decl, names) };
    }
  });
}

export function translate(ir: SyncIR, options: ResolvedOptions, by: Generator): KotlinPlan[] {
  const names = buildNames(ir, options.package);
  const lines = bannerLines(ir, { generator: by.name, version: by.version, target: 'kotlin' });
  const kotlin: KotlinPlan[] = [
    ...modelPlans(ir, names),
    ...translateApiClasses(ir, names).map((view): KotlinPlan => ({ path: `api/${view.name}.kt`, template: 'api', view })),
    { path: `api/${names.apiClient}.kt`, template: 'api-client', view: translateApiClient(ir, names, options.apiBaseUrl) },
    ...ir.entities
      .filter((e) => e.sync.mode === 'push')
      .map((e): KotlinPlan => {
        const view = translatePushRepository(e, ir, names);
        return { path: `data/${view.name}.kt`, template: 'push-repository', view };
      }),
    ...liveFiles(ir, names, options),
  ];
  const banner = bannerComment(lines, '//');
  const config: EditorconfigView = { banner: bannerComment(lines, '#') };
  const plans: KotlinPlan[] = [
    { path: '.editorconfig', template: 'editorconfig', view: config },
    ...kotlin.map((plan) => ({ ...plan, view: { ...plan.view, banner } })),
  ];
  return plans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
