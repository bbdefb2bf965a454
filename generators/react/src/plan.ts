/**
 * What the translate stage hands the render stage: one `FilePlan` (of @sync/codegen) per output
 * file, naming the template that prints its view model. Shared by `translate/` (which produces the
 * plans) and `render.ts` (which consumes them); neither imports the other.
 */
import type { FilePlan } from '@sync/codegen';

/**
 * File templates (`templates/<name>.ts.hbs`). The partials `write-mutation` and `live-mutation`
 * are templates too (every template is a partial under its name) but print no file of their own.
 */
export type TemplateName =
  | 'model'
  | 'models-index'
  | 'api-client'
  | 'api-group'
  | 'query-keys'
  | 'hooks'
  | 'index'
  | 'local-schema'
  | 'live-schema';

/** One output file of the React target. */
export type ReactFilePlan = FilePlan<TemplateName>;
