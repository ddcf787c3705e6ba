// What a start payload (a deep-link parameter) and a `/start` command ask for, on any channel.
import { describe, expect, it } from 'vitest';
import { invitationPayload, readStartCommand, readStartPayload, sourcePayload, startCommand } from '../../../core/inbound/start-payload.ts';

describe('start payloads', () => {
  it('takes only well-formed QR source codes from a payload', () => {
    expect(readStartPayload('showroom')).toEqual({ kind: 'start', sourceCode: 'showroom' });
    expect(readStartPayload('bad code!')).toEqual({ kind: 'start', sourceCode: null });
    expect(readStartPayload(null)).toEqual({ kind: 'start', sourceCode: null });
  });

  it('reads staff_<token> as a staff invitation, and writes both kinds back', () => {
    expect(readStartPayload('staff_abc-DEF_123')).toEqual({ kind: 'staff_invitation', token: 'abc-DEF_123' });
    expect(readStartPayload(invitationPayload('tok'))).toEqual({ kind: 'staff_invitation', token: 'tok' });
    expect(readStartPayload(sourcePayload('li-card'))).toEqual({ kind: 'start', sourceCode: 'li-card' });
  });

  it.each([
    ['/start', null], ['/start showroom', 'showroom'], ['/start@showroom_test_bot showroom', 'showroom'], ['  /start   staff_abc  ', 'staff_abc'],
  ])('reads %j as a start command with payload %j', (text, payload) => {
    expect(readStartCommand(text)).toEqual({ payload });
  });

  it.each(['/starts', '/start a b', '开始', 'start showroom'])('reads %j as no start command', (text) => {
    expect(readStartCommand(text)).toBeNull();
  });

  it('writes the command a store choice carries, which reads back as its start', () => {
    expect(readStartCommand(startCommand('showroom'))).toEqual({ payload: 'showroom' });
  });
});
