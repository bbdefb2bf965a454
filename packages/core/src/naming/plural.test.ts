import { describe, expect, it } from 'vitest';
import { isPlural, plural, singular } from './plural.js';

describe('singular / plural', () => {
  it.each<{ one: string; many: string }>([
    { one: 'person', many: 'people' },
    { one: 'category', many: 'categories' },
    { one: 'analysis', many: 'analyses' },
    { one: 'status', many: 'statuses' },
    { one: 'line_item', many: 'line_items' },
    { one: 'LineItem', many: 'LineItems' },
    { one: 'lineItem', many: 'lineItems' },
    { one: 'LINE_ITEM', many: 'LINE_ITEMS' },
    { one: 'line-item', many: 'line-items' },
    { one: 'contact', many: 'contacts' },
    { one: 'address', many: 'addresses' },
    { one: 'child', many: 'children' },
    { one: 'todo', many: 'todos' },
    { one: 'orderStatus', many: 'orderStatuses' },
    { one: 'SalesPerson', many: 'SalesPeople' },
    { one: 'userID', many: 'userIDs' },
    { one: 'USER_ID', many: 'USER_IDS' },
    { one: 'schema', many: 'schemas' },
    { one: 'index', many: 'indexes' },
    { one: 'knowledge_base', many: 'knowledge_bases' },
    { one: 'virus', many: 'viruses' },
  ])('$one <-> $many', ({ one, many }) => {
    expect(plural(one)).toBe(many);
    expect(singular(many)).toBe(one);
    expect(isPlural(many)).toBe(true);
    expect(isPlural(one)).toBe(false);
  });

  it.each(['news', 'data', 'metadata', 'info', 'media', 'series', 'user_data', 'UserInfo'])(
    'uncountable %s is unchanged both ways',
    (word) => {
      expect(plural(word)).toBe(word);
      expect(singular(word)).toBe(word);
    },
  );

  it.each<{ given: string; want: string }>([
    { given: 'indices', want: 'index' },
    { given: 'IDs', want: 'ID' },
    { given: '', want: '' },
    { given: '---', want: '---' },
  ])('singular($given) = $want', ({ given, want }) => {
    expect(singular(given)).toBe(want);
  });
});
