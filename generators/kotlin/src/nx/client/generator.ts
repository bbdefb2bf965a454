/**
 * `nx g @sync/kotlin:client`: the Kotlin target through the kit's Nx adapter (@sync/codegen). No
 * logic of its own: the adapter loads the spec with `@sync/core`, calls the same
 * `generator.generate` as the CLI, and applies the result through the Nx `Tree` with the CLI's
 * manifest policy (`.sync-patterns-manifest.json`): stale files are removed only if we wrote them
 * and they are unchanged since; files we did not write are never touched.
 */
import type { Tree } from '@nx/devkit';
import { packageId, runNxClient } from '@sync/codegen';
import { generator } from '../../index.js';
import type { ClientGeneratorSchema } from './schema.js';

export default async function clientGenerator(tree: Tree, schema: ClientGeneratorSchema): Promise<void> {
  await runNxClient(tree, {
    generator,
    generatorPackage: packageId(import.meta.url),
    spec: schema.spec,
    directory: schema.directory,
    options: {
      package: schema.package ?? 'com.example.sync',
      ...(schema.apiBaseUrl === undefined ? {} : { apiBaseUrl: schema.apiBaseUrl }),
      ...(schema.electricUrl === undefined ? {} : { electricUrl: schema.electricUrl }),
      ...(schema.databaseVersion === undefined ? {} : { databaseVersion: schema.databaseVersion }),
    },
    clean: schema.clean !== false,
  });
}
