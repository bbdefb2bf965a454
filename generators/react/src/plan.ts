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

/**
 * Live mode of a mutation hook (null = push): `useLiveMutation<Row, Variables>(table, op, map)`.
 * Exactly one of the six variable shapes is set; the live-mutation template prints its call
 * (the runtime op, the variables type and the mapping to the row's `{ key, values }`) from it.
 */
export interface LiveWrite {
  table: string;
  row: string;
  /** Types of the variables' parts (from the operation's call shape; '' where unused). */
  bodyType: string;
  paramsType: string;
  idType: string;
  /** `(body) => ({ values: body })`. */
  insertBody: boolean;
  /** `(variables: { params, body }) => ({ values: { ...variables.body, <columns> } })`. */
  insertParamsBody: boolean;
  /** `(variables: { id, body }) => ({ key: variables.id, values: variables.body })`. */
  updateById: boolean;
  /** `(variables: { params, body }) => ({ key: <key>, values: variables.body })`. */
  updateByParams: boolean;
  /** `(id) => ({ key: id })`. */
  deleteById: boolean;
  /** `(params) => ({ key: <key> })`. */
  deleteByParams: boolean;
  /** By-params writes: the property of the variables holding the primary key. */
  key: string;
  /** insertParamsBody: the create's path parameters that fill a column (key and property). */
  columns: { column: string; param: string }[];
}
