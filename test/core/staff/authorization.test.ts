import { describe, expect, it } from 'vitest';
import { ACTIONS, may, type Principal } from '../../../core/staff/authorization.ts';
import { ALLOWED, allowed, ROLES, subjectOf, WHOSE } from '../../helpers/authorization-table.ts';

describe('authorization matrix (core/staff/authorization.ts)', () => {
  it('has a row in the table for every action may() knows, and no other', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...ACTIONS].sort());
    expect(Object.keys(WHOSE).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      for (const whose of WHOSE[action]) {
        const yes = allowed(role, action, whose);
        it(`${role} ${yes ? 'may' : 'may not'} ${action} on ${whose}`, () => {
          const actor: Principal = { staffId: 'me', role, storeId: 's1', groupId: 'g1' };
          expect(may(actor, action, subjectOf(whose))).toBe(yes);
        });
      }
    }
  }
});
