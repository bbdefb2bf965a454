import { describe, expect, it } from 'vitest';
import * as naming from './naming.js';

describe('entity names', () => {
  it.each([
    [
      'Contact',
      'Contacts',
      {
        listHook: 'useContacts',
        itemHook: 'useContact',
        createHook: 'useCreateContact',
        keys: 'contactKeys',
        listOptions: 'contactsQueryOptions',
      },
    ],
    [
      'Person',
      'People',
      {
        listHook: 'usePeople',
        itemHook: 'usePerson',
        deleteHook: 'useDeletePerson',
        replaceHook: 'useReplacePerson',
      },
    ],
    [
      'LineItem',
      'LineItems',
      {
        listHook: 'useLineItems',
        updateHook: 'useUpdateLineItem',
        itemOptions: 'lineItemQueryOptions',
      },
    ],
    [
      'Sheep',
      'Sheep',
      { listHook: 'useSheepList', itemHook: 'useSheep', listOptions: 'sheepListQueryOptions' },
    ],
  ])('%s / %s', (singular, plural, want) => {
    expect(naming.entityNames(singular, plural)).toMatchObject(want);
  });
});

describe('operation and type names', () => {
  it.each([
    ['list-orders', 'listOrders'],
    ['new', 'new_'],
    ['delete', 'delete_'],
    ['read_items', 'readItems'],
  ])('function for %s is %s', (op, want) => {
    expect(naming.operationFunctionName(op)).toBe(want);
  });

  it('params, enum values and derived shapes', () => {
    expect(naming.paramsTypeName('listContacts')).toBe('ListContactsParams');
    expect(naming.enumValuesName('ContactStatus')).toBe('contactStatusValues');
    expect(naming.createShapeName('Order')).toBe('OrderCreate');
    expect(naming.updateShapeName('Order')).toBe('OrderUpdate');
    expect(naming.typeName('Error')).toBe('ErrorModel');
  });

  it('reserved exports win over spec names', () => {
    expect(
      naming.uniqueInScope(['ApiError', 'Contact', 'request'], naming.RESERVED_EXPORTS),
    ).toEqual(['ApiError2', 'Contact', 'request2']);
  });
});

describe('file names', () => {
  it('are kebab-case and unique ignoring case', () => {
    expect(
      naming.fileNames(['ContactStatus', 'Self', 'Self2', 'ABTest', 'AbTest', '_2fa']),
    ).toEqual(['contact-status', 'self', 'self2', 'ab-test', 'ab-test2', '2fa']);
  });
});

describe('property access', () => {
  it.each([
    ['q', 'params.q'],
    ['X-Request-ID', "params['X-Request-ID']"],
    ['__proto__', "params['__proto__']"],
    ['$filter', 'params.$filter'],
  ])('%s', (wire, want) => {
    expect(naming.propertyAccess('params', wire)).toBe(want);
  });
});
