import { useSyncExternalStore } from 'react';
import { EntityScreen } from './components/EntityScreen';
import { FailedWrites } from './components/FailedWrites';
import { SyncBadge } from './components/SyncBadge';
import { accountModel, useAccountStore } from './entities/accounts';
import { contactModel, useContactStore } from './entities/contacts';
import { personModel, usePersonStore } from './entities/people';
import { apiBaseUrl } from './config';
import { useSync } from './sync/status';

const tabs = [
  { id: 'contacts', label: 'Contacts' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'people', label: 'People' },
] as const;
type Tab = (typeof tabs)[number]['id'];

function currentTab(): Tab {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return tabs.find((t) => t.id === hash)?.id ?? 'contacts';
}

function subscribeHash(notify: () => void): () => void {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
}

function ContactsScreen() {
  return <EntityScreen model={contactModel} store={useContactStore()} />;
}
function AccountsScreen() {
  return <EntityScreen model={accountModel} store={useAccountStore()} />;
}
function PeopleScreen() {
  return <EntityScreen model={personModel} store={usePersonStore()} />;
}

export function App() {
  const tab = useSyncExternalStore(subscribeHash, currentTab, () => 'contacts' as const);
  const { mode } = useSync();
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <span>
            Acme CRM <span className="brand-sub">sync-patterns demo</span>
          </span>
        </div>
        <nav aria-label="Sections">
          <ul className="tabs">
            {tabs.map((t) => (
              <li key={t.id}>
                <a href={`#${t.id}`} aria-current={tab === t.id ? 'page' : undefined}>
                  {t.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <SyncBadge />
      </header>
      <main>
        <FailedWrites />
        {tab === 'contacts' && <ContactsScreen />}
        {tab === 'accounts' && <AccountsScreen />}
        {tab === 'people' && <PeopleScreen />}
      </main>
      <footer className="footer">
        {mode === 'live'
          ? 'Live runtime: local PGlite database, Electric shapes, outbox.'
          : 'Push mode: the live runtime is not wired in, every hook calls the API.'}{' '}
        API <code>{apiBaseUrl}</code>
      </footer>
    </div>
  );
}
