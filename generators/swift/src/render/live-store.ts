/** Builder of the scope lines of a nested live store (`scope = scope.filter(…)`, fitted into 100 columns). */
import { fitCall } from '../naming.js';
import type { LiveStoreModel } from '../view-models.js';

export function printLiveStore(view: LiveStoreModel): LiveStoreModel & { scopeFilters: string[] } {
  const columns = `${view.record}.Columns`;
  return {
    ...view,
    scopeFilters: view.parents.map((k) => fitCall('scope = scope.filter', [`${columns}.${k.column} == SyncRows.argument(${k.name})`], '    ')),
  };
}
