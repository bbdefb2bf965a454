/**
 * Who is calling: a principal (id and roles), from the request's bearer token (see auth.ts), and
 * how a principal's id fills an owner column of any type.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '@sync/core';
import type { ColumnModel } from '../schema/model.js';

export interface Principal {
  id: string;
  roles: string[];
}

/** The caller of an operation that does not require auth and sent no token. */
export const ANONYMOUS: Principal = { id: 'anonymous', roles: [] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based (v5-style, SHA-1) uuid: the same principal id always maps to the same uuid. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update('sync-patterns-dev-principal:').update(name).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The value a principal writes into an owner column of this type. */
export function ownerValue(c: ColumnModel, p: Principal): JsonValue {
  switch (c.storage) {
    case 'uuid':
      return UUID.test(p.id) ? p.id.toLowerCase() : nameUuid(p.id);
    case 'int32':
    case 'int64':
    case 'float':
    case 'double':
    case 'decimal': {
      if (/^\d{1,9}$/.test(p.id)) return Number(p.id);
      // A stable positive int32 from the id.
      return createHash('sha1').update(p.id).digest().readUInt32BE(0) >>> 1;
    }
    default:
      return p.id;
  }
}
