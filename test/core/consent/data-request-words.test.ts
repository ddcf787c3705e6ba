import { describe, expect, it } from 'vitest';
import { detectDataRequestWord } from '../../../core/consent/data-request-words.ts';

const ACCESS = ['查询我的信息', '查看我的信息', '你好，查询我的信息', '请帮我查看我的个人信息', '我的信息', '我的数据？', '导出我的信息', 'my data', 'My Data!', 'my info', 'Can I get a copy of my data?', 'export my data please', 'what data do you have on me'];
const ERASURE = ['删除我的信息', '请删除我的个人信息，谢谢', '删掉我的信息', '注销我的信息', 'delete my data', 'Please DELETE MY DATA', 'erase my data', 'forget me', 'remove my data now'];
const CONFIRM = ['确认删除', '确认删除。', '  确认删除！', 'confirm delete', 'Confirm deletion.', 'yes delete'];
const NONE = ['我的信息填错了', '我的数据线坏了', '我要投诉', '查询订单', '删除', 'delete', 'data', '张三', 'TD', '重新开始', '请确认删除的是哪一条', 'confirm', '', '   '];

describe('detectDataRequestWord', () => {
  it.each(ACCESS)('"%s" asks to see the data', (text) => expect(detectDataRequestWord(text)).toBe('access'));
  it.each(ERASURE)('"%s" asks for erasure', (text) => expect(detectDataRequestWord(text)).toBe('erasure'));
  it.each(CONFIRM)('"%s" confirms an erasure', (text) => expect(detectDataRequestWord(text)).toBe('confirm_erasure'));
  it.each(NONE)('"%s" is no data request', (text) => expect(detectDataRequestWord(text)).toBeNull());
});
