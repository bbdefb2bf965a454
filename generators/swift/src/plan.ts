/**
 * The Swift target's `FilePlan`s (the kit's typed stage between translate/ and render/): one per
 * output file, its template and its view model. translate/ produces them, render/ prints them;
 * neither imports the other.
 */
import type { FilePlan } from '@sync/codegen';
import type {
  AliasModel,
  ClientModel,
  ClientOperationsModel,
  EnumModel,
  LiveRecordsModel,
  LiveSchemaModel,
  LiveSqlModel,
  LiveStoreModel,
  LiveTableModel,
  PushStoreModel,
  StructModel,
  UnionModel,
} from './view-models.js';

/** Every template (`src/templates/<name>.swift.hbs`) with the view model it prints. */
export interface SwiftViews {
  'model-struct': StructModel;
  'model-enum': EnumModel;
  'model-union': UnionModel;
  'model-alias': AliasModel;
  client: ClientModel;
  'client-operations': ClientOperationsModel;
  'push-store': PushStoreModel;
  'live-records': LiveRecordsModel;
  'live-sql': LiveSqlModel;
  'live-table': LiveTableModel;
  'live-store': LiveStoreModel;
  'live-schema': LiveSchemaModel;
}

/** Templates, and the partials they include (`header`, `doc`, `member-doc`). */
export type SwiftTemplate = keyof SwiftViews | 'header' | 'doc' | 'member-doc';

/** A plan for one Swift file; `template` and `view` always match. */
export type SwiftPlan = { [T in keyof SwiftViews]: FilePlan<T, SwiftViews[T]> }[keyof SwiftViews];

/** Builds a plan (keeps the template/view pairing checked at the call site). */
export function plan<T extends keyof SwiftViews>(path: string, template: T, view: SwiftViews[T]): SwiftPlan {
  return { path, template, view } as SwiftPlan;
}
