// Decrypted WeCom callbacks (fixtures shaped like the documentation's examples) → the channel's
// events, with de-duplication keys that survive WeCom's retries; hostile XML is refused, not thrown.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWecomCallback, parseWecomEnvelope, type WecomCallbackEvent } from '../../../bot/channels/wecom/wecom-callback-xml.ts';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../fixtures/wecom', name), 'utf8');

function event(xml: string): WecomCallbackEvent {
  const parsed = parseWecomCallback(xml);
  if (!parsed.ok) throw new Error('expected a callback');
  return parsed.event;
}

describe('WeCom callback XML', () => {
  it('reads an employee’s text message to the app, keeping the 64-bit MsgId as a string', () => {
    expect(event(fixture('app-text-message.xml'))).toEqual({
      kind: 'app-text', dedupeKey: 'msg:1000002:7321456987123456789', corpId: 'ww1234567890abcdef', fromUserId: 'zhangsan',
      agentId: '1000002', msgId: '7321456987123456789', content: '跟进 12 A 明天再联系', createTime: 1700000000,
    });
  });

  it('reads a customer adding an employee, with State and WelcomeCode', () => {
    expect(event(fixture('add-external-contact.xml'))).toEqual({
      kind: 'external-contact-added', changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: 'wmAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
      state: 'store1-showroom', welcomeCode: 'WELCOMECODE-store1-0001', createTime: 1700000100,
      dedupeKey: 'change_external_contact:add_external_contact:zhangsan:wmAJ2GCAAAXtWyujaWJHDDGi0mACAAAA:1700000100',
    });
    expect(event(fixture('add-half-external-contact.xml'))).toMatchObject({ kind: 'external-contact-added', changeType: 'add_half_external_contact', state: 'campaign-2024', welcomeCode: 'WELCOMECODE-half-0002' });
  });

  it('reads deletions (either side) and a failed transfer', () => {
    expect(event(fixture('del-external-contact.xml'))).toMatchObject({ kind: 'external-contact-removed', changeType: 'del_external_contact', userId: 'zhangsan', source: 'DELETE_BY_TRANSFER' });
    expect(event(fixture('del-follow-user.xml'))).toMatchObject({ kind: 'external-contact-removed', changeType: 'del_follow_user', externalUserId: 'wmAJ2GCAAAXtWyujaWJHDDGi0mACAAAA' });
    expect(event(fixture('transfer-fail.xml'))).toMatchObject({ kind: 'transfer-failed', userId: 'wangwu', failReason: 'customer_refused' });
  });

  it('reads the 微信客服 notice with its sync token', () => {
    expect(event(fixture('kf-msg-or-event.xml'))).toEqual({
      kind: 'kf-msg-or-event', token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', createTime: 1700000600,
      dedupeKey: 'kf_msg_or_event:wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q:ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
    });
  });

  it('ignores what the channel does not handle, with a stable key', () => {
    const ignored = event(fixture('enter-agent-event.xml'));
    expect(ignored).toEqual({ kind: 'ignored', msgType: 'event', event: 'enter_agent', dedupeKey: 'ignored:event:enter_agent::zhangsan:::1700000700' });
    expect(event('<xml><MsgType>image</MsgType><MsgId>42</MsgId></xml>')).toMatchObject({ kind: 'ignored', dedupeKey: 'ignored:image:42' });
    expect(event(fixture('add-external-contact.xml').replace(/<UserID>.*<\/UserID>/, ''))).toMatchObject({ kind: 'ignored', changeType: 'add_external_contact' });
  });

  it('gives a retried callback the same key, and another event another key', () => {
    const xml = fixture('add-external-contact.xml');
    expect(event(xml).dedupeKey).toBe(event(xml.replace(/\n\s*/g, '')).dedupeKey);
    expect(event(xml).dedupeKey).not.toBe(event(xml.replace('1700000100', '1700000101')).dedupeKey);
  });

  it('reads the encrypted envelope', () => {
    const parsed = parseWecomEnvelope(fixture('envelope.xml'));
    expect(parsed).toMatchObject({ ok: true, envelope: { toUserName: 'ww1234567890abcdef', agentId: '1000002', encrypt: expect.stringMatching(/^RypEvHKD8QQKFhvQ6QleEB4J58/) } });
    expect(parseWecomEnvelope('<xml><ToUserName>x</ToUserName></xml>')).toEqual({ ok: false });
  });

  it('refuses malformed XML, DOCTYPEs and entity definitions instead of expanding them', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>';
    for (const bad of ['', 'not xml', '<xml><MsgType>text</xml>', laughs, `<xml>${'<a>'.repeat(10)}</xml>`, `<xml><Content>${'x'.repeat(600_000)}</Content></xml>`]) {
      expect(parseWecomCallback(bad)).toEqual({ ok: false });
      expect(parseWecomEnvelope(bad)).toEqual({ ok: false });
    }
    expect(event('<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><MsgId>1</MsgId><Content>1 &lt; 2 &amp;&amp; 0012</Content></xml>')).toMatchObject({ content: '1 < 2 && 0012' });
    // Numeric references are left as written (WeCom puts text in CDATA, where none are decoded anyway).
    expect(event('<xml><MsgType>text</MsgType><FromUserName>a</FromUserName><MsgId>1</MsgId><Content>&#x26;</Content></xml>')).toMatchObject({ content: '&#x26;' });
  });

  it('never throws on arbitrary text (property)', () => {
    const xmlish = fc.stringMatching(/^<xml>(<[A-Za-z]{1,8}>[^<]{0,20}<\/[A-Za-z]{1,8}>|<!\[CDATA\[[^\]]{0,10}\]\]>|&[a-z#0-9]{1,6};){0,6}<\/xml>$/);
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), xmlish), (text) => {
      const parsed = parseWecomCallback(text);
      const envelope = parseWecomEnvelope(text);
      expect(typeof parsed.ok).toBe('boolean');
      expect(typeof envelope.ok).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
