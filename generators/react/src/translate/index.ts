/**
 * The translate stage: the IR (through the context) → one view model per output file, each
 * paired with the template that prints it. Paths are derived from the IR alone.
 */
import type { ReactFilePlan as FilePlan } from '../plan.js';
import type { Context } from './context.js';
import { translateApiFile } from './api-file.js';
import { translateHooks } from './hooks.js';
import { translateLiveSchema, translateLocalSchema } from './live.js';
import { translateModel } from './models.js';
import { operationGroups } from './operation-groups.js';
import { translateQueryKeys } from './query-keys.js';
import { banner, stringLiteral } from '../naming.js';

function modelFiles(ctx: Context): FilePlan[] {
  const plans: FilePlan[] = ctx.ir.schemas.map((d) => ({
    path: `models/${ctx.declFile.get(d.name)!}.ts`,
    template: 'model',
    view: translateModel(ctx, d),
  }));
  // A file without an import or export is not a module (TS1208/TS2306): no models, no index.
  if (plans.length === 0) return plans;
  const files = ctx.ir.schemas.map((d) => ctx.declFile.get(d.name)!).sort();
  plans.push({
    path: 'models/index.ts',
    template: 'models-index',
    view: { banner: banner(ctx.ir), files },
  });
  return plans;
}

function apiFiles(ctx: Context): FilePlan[] {
  const client: FilePlan = {
    path: 'api/client.ts',
    template: 'api-client',
    view: { banner: banner(ctx.ir), baseUrl: stringLiteral(ctx.options.apiBaseUrl) },
  };
  const groups = operationGroups(ctx.ir).map((g): FilePlan => ({
    path: `api/${ctx.opFile.get(g.operations[0]!)!}.ts`,
    template: 'api-group',
    view: translateApiFile(ctx, g.operations),
  }));
  return [client, ...groups];
}

function hookFiles(ctx: Context): FilePlan[] {
  return [...ctx.entities.values()].flatMap((ec) => {
    const view = translateHooks(ctx, ec);
    return view ? [{ path: `hooks/${ec.file}.ts`, template: 'hooks' as const, view }] : [];
  });
}

/** Every file of the output, unsorted. */
export function translate(ctx: Context): FilePlan[] {
  const models = modelFiles(ctx);
  const api = apiFiles(ctx);
  const hooks = hookFiles(ctx);
  const stem = (p: FilePlan, dir: string) => p.path.slice(dir.length + 1, -3);
  const keysView = translateQueryKeys(ctx);
  const keys: FilePlan[] =
    keysView.entities.length > 0
      ? [{ path: 'query-keys.ts', template: 'query-keys', view: keysView }]
      : [];
  const index: FilePlan = {
    path: 'index.ts',
    template: 'index',
    view: {
      banner: banner(ctx.ir),
      models: models.length > 0,
      queryKeys: keys.length > 0,
      api: api
        .filter((p) => p.template === 'api-group')
        .map((p) => stem(p, 'api'))
        .sort(),
      hooks: hooks.map((p) => stem(p, 'hooks')).sort(),
    },
  };
  const live: FilePlan[] = [
    { path: 'live/local-schema.ts', template: 'local-schema', view: translateLocalSchema(ctx) },
    { path: 'live/schema.ts', template: 'live-schema', view: translateLiveSchema(ctx) },
  ];
  return [...models, ...api, ...keys, ...hooks, ...live, index];
}
