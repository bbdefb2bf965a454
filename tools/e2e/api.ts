/** The server's view, through the REST API: the truth every client must converge to. */
import type { Screen } from './user.js';

export interface ServerRow {
  key: string;
  label: string;
  raw: Record<string, unknown>;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

const labelOf: Record<Screen, (r: Record<string, unknown>) => string> = {
  contacts: (r) => [str(r.first_name), str(r.last_name)].filter(Boolean).join(' '),
  accounts: (r) => str(r.name),
  people: (r) => str(r.full_name),
};

/** The token the test app sends by default (test-apps/react/src/config.ts): the same principal. */
export const E2E_TOKEN = 'crm-dev-user';
const auth = { authorization: `Bearer ${E2E_TOKEN}` };

export class Api {
  constructor(readonly baseUrl: string) {}

  async list(screen: Screen): Promise<ServerRow[]> {
    const res = await fetch(`${this.baseUrl}/${screen}`, { headers: auth });
    if (!res.ok) throw new Error(`GET /${screen}: ${res.status}`);
    const rows = (await res.json()) as Record<string, unknown>[];
    return rows.map((raw) => ({ key: str(raw.id), label: labelOf[screen](raw), raw }));
  }

  async create(screen: Screen, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.baseUrl}/${screen}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST /${screen}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }

  async rotateShapes(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/__dev/rotate-shapes`, {
      method: 'POST',
      headers: auth,
    });
    if (!res.ok) throw new Error(`POST /__dev/rotate-shapes: ${res.status}`);
  }
}
