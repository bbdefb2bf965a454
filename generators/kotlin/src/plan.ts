/**
 * The stage between translating and rendering (the kit's `FilePlan`): what translate/ produces and
 * render.ts consumes, so neither imports the other. A plan names its template
 * (`templates/<template>.kt.hbs`) and carries a view model of data: names, types, literals, flags
 * and lists; every view gets the file banner's comment lines (`banner`) from translate/index.ts.
 */
import type { FilePlan } from '@sync/codegen';

/** The templates of the Kotlin target (`src/templates/<name>.kt.hbs`), plus the non-Kotlin `.editorconfig`. */
export type KotlinTemplate =
  | 'alias'
  | 'api'
  | 'api-client'
  | 'enum'
  | 'live-dao'
  | 'live-local-row'
  | 'live-repository'
  | 'live-sync'
  | 'live-synced-row'
  | 'live-table'
  | 'live-view-row'
  | 'object'
  | 'push-repository'
  | 'sync-converters'
  | 'sync-database'
  | 'union'
  | 'editorconfig';

export type KotlinPlan = FilePlan<KotlinTemplate, object>;

/** The view of the `.editorconfig` plan (printed by render/editorconfig.ts, not a Kotlin template). */
export interface EditorconfigView {
  /** The banner's lines, each already a `#` comment. */
  banner: string[];
}
