/**
 * `nx g @sync/swift:client`: the Swift target through the kit's Nx adapter (@sync/codegen). No
 * logic of its own: the adapter loads the spec with `@sync/core`, calls the same
 * `generator.generate` as the CLI, and applies the result through the Nx `Tree` (so `--dry-run`
 * lists the files without touching the disk) with the CLI's manifest policy
 * (`.sync-patterns-manifest.json`): stale files are removed only if we wrote them and they are
 * unchanged since; files we did not write, such as the app's own Swift code in the same folder,
 * are never touched. Uses the built package (`@sync/swift` → dist/).
 */
import type { Tree } from '@nx/devkit';
import { packageId, runNxClient } from '@sync/codegen';
import { generator } from '@sync/swift';

export interface ClientGeneratorSchema {
  spec: string;
  directory: string;
  apiBaseUrl?: string;
  electricUrl?: string;
  moduleName?: string;
  clean?: boolean;
}

export default async function clientGenerator(tree: Tree, options: ClientGeneratorSchema): Promise<void> {
  await runNxClient(tree, {
    generator,
    generatorPackage: packageId(import.meta.url),
    spec: options.spec,
    directory: options.directory,
    options: {
      ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
      ...(options.electricUrl ? { electricUrl: options.electricUrl } : {}),
      ...(options.moduleName ? { moduleName: options.moduleName } : {}),
    },
    clean: options.clean !== false,
  });
}
