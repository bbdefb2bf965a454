import { useSync } from '../sync/status';

/** Online/offline and the number of writes not yet confirmed by the server. */
export function SyncBadge() {
  const { mode, status } = useSync();
  const state = !status.online ? 'offline' : status.pendingWrites > 0 ? 'syncing' : 'online';
  const label = status.online ? 'Online' : 'Offline';
  const pending =
    status.pendingWrites === 0
      ? status.online
        ? 'all saved'
        : 'no pending writes'
      : `${status.pendingWrites} pending`;
  return (
    <div
      className={`badge badge-${state}`}
      role="status"
      aria-live="polite"
      data-testid="sync-badge"
      data-online={status.online}
      data-pending={status.pendingWrites}
      title={mode === 'live' ? 'Live sync (local database + outbox)' : 'Push mode (API calls)'}
    >
      <span className="dot" aria-hidden="true" />
      <span className="badge-label">{label}</span>
      <span className="badge-sep" aria-hidden="true">
        ·
      </span>
      <span className="badge-pending">{pending}</span>
    </div>
  );
}
