import type { SimRandom } from './random.ts';

/**
 * What simulated customers type, the way real ones do (the handbooks' callback notes): scores
 * as digits, full-width digits, Chinese numerals, "8/10", "满分", wrapped in chatter; answers
 * that are not scores at all; opt-outs and complaints in their many forms.
 */

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '婷', '浩然', '子涵', '欣怡', '宇轩', '思远', '雨桐'];
const CHINESE_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const FULL_WIDTH = (n: number) => String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

export function customerName(random: SimRandom): string {
  return `${random.pick(SURNAMES)}${random.pick(GIVEN)}`;
}

/** A mainland mobile number, unique per `n` (the simulation's customer number) so no two people share one. */
export function mobileNumber(n: number): string {
  const prefix = ['138', '139', '150', '151', '186', '187', '135', '177'][n % 8] as string;
  return `${prefix}${String(10_000_000 + ((n * 7_919) % 90_000_000)).padStart(8, '0')}`;
}

/** The number as a person might type it: plain, spaced, with +86 or dashes. */
export function typedNumber(random: SimRandom, digits: string): string {
  return random.weighted({
    plain: 6, spaced: 2, country: 1, dashed: 1,
  }) === 'plain' ? digits : random.pick([`${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, `+86 ${digits}`, `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`]);
}

/** A slip at the phone question: a digit missing or one too many (the flow asks again). */
export function mistypedNumber(random: SimRandom, digits: string): string {
  return random.chance(0.5) ? digits.slice(0, 10) : `${digits}${random.int(0, 9)}`;
}

/** A score written the way customers write it; always one `parseScore` reads as `score`. */
export function scoreText(random: SimRandom, score: number): string {
  const forms = [
    String(score), String(score), String(score), `${score}分`, FULL_WIDTH(score), `${FULL_WIDTH(score)}分`, `${CHINESE_NUMERALS[score]}分`,
    `${score}/10`, `给${score}分吧`, `${score}分，还不错`, `我打${CHINESE_NUMERALS[score]}分`,
  ];
  if (score === 10) forms.push('满分', '满分！', '十分');
  if (score <= 6) forms.push(`${score}分，等太久了`);
  return random.pick(forms);
}

/** A reply to the score question that is no score (the survey re-asks once, then hands it to staff). */
export function unclearReply(random: SimRandom): string {
  return random.pick(['还行吧', '挺好的', '十分满意', '等了10分钟才有人接待', '8.5', '7到8分之间', '一般般', '👍', '销售小哥很热情']);
}

/** A correction within the grace period ("不对，应该是9分"). */
export function correctionText(random: SimRandom, score: number): string {
  return random.pick([`不对，应该是${score}分`, `打错了，其实是${score}分`, `改成${score}分`]);
}

export function factorReply(random: SimRandom): string {
  return random.pick(['1', '2', '3', '4', '5', '6', '接待等候', '价格透明', '试乘试驾']);
}

export function commentReply(random: SimRandom): string {
  return random.pick(['无', '等了很久没人倒水', '价格说得不清楚，前后不一致', '试驾路线太短', '手续办了两个小时', '销售不太懂车', '没有']);
}

/** "Stop everything", as customers say it. */
export function optOutText(random: SimRandom): string {
  return random.pick(['TD', '退订', 'R', '别再发了', '不要再给我发消息了', 'STOP', '拒收', '请勿打扰']);
}

/** "Not this survey" (leaves only the survey). */
export function surveyRefusal(random: SimRandom): string {
  return random.pick(['不想做问卷', '不想打分', '不接受回访']);
}

export function complaintText(random: SimRandom): string {
  return random.pick(['我要投诉，销售承诺的赠品没给', '投诉！交车时间一拖再拖', '我要投诉你们的服务态度', '投诉：电话一直没人接']);
}

/** Chatter that is neither a score nor a command (a "thank you" to a reminder). */
export function smallTalk(random: SimRandom): string {
  return random.pick(['好的，谢谢', '收到', '谢谢提醒', '好的', '知道了']);
}
