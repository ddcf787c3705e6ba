import type { Locale } from '../config.ts';
import { formatVoucherCode } from './voucher-code.ts';

/** Every customer-facing sentence of the registration conversation, per locale. */
export interface RegistrationTexts {
  welcome(storeName: string, giftName: string): string;
  agreeChoice: string;
  declineChoice: string;
  askConsentAgain: string;
  declined(hotline: string): string;
  askName: string;
  badName: string;
  askPhone(name: string): string;
  /** The button that shares the sender's own number, where the platform has one (Telegram). */
  shareContactButton: string;
  badPhone: string;
  /** The code was queued to the (masked) number: what to reply, and what to do if it does not come. */
  codeSent(maskedPhone: string): string;
  /** The question again while a code is awaited (a resumed chat). */
  askCode(maskedPhone: string): string;
  /** The button that asks for a new code, and the word it sends. */
  resendChoice: string;
  resendWord: string;
  badCode: string;
  wrongCode: string;
  /** No code to check any more: expired, out of tries, or replaced. */
  codeSpent: string;
  /** A limit refused a new code for `waitMs` more. */
  codeTooSoon(waitMs: number): string;
  codeAccepted: string;
  askModel: string;
  badModel(count: number): string;
  askHeardFrom: string;
  badHeardFrom(count: number): string;
  askCompanions: string;
  aloneChoice: string;
  badCompanions(count: number): string;
  askMarketing: string;
  marketingYes: string;
  marketingNo: string;
  badMarketing: string;
  registered(name: string, giftName: string, voucherCode: string): string;
  alreadyRegistered(giftName: string, voucherCode: string): string;
  outOfStock(name: string, giftName: string): string;
  alreadyRegisteredNoGift: string;
  confirmAtDesk(name: string, giftName: string): string;
  busy: string;
  failed(reason: string): string;
  cancelled: string;
  finishedHint: string;
  noSource: string;
}

const zh: RegistrationTexts = {
  welcome: (store, gift) => `您好，欢迎光临${store}！完成一个简短登记即可领取「${gift}」一份。`,
  agreeChoice: '同意并继续',
  declineChoice: '不同意',
  askConsentAgain: '请回复 1 同意并继续，或回复 2 不同意。',
  declined: (hotline) => `好的，我们不会收集您的任何信息。如改变主意，回复"重新开始"即可登记；有疑问请致电 ${hotline}。`,
  askName: '请问怎么称呼您？（例如：张伟 或 张先生）',
  badName: '请输入您的姓名或称呼，1 到 30 个字，例如：张伟 或 张先生。',
  askPhone: (name) => `${name}，您好！请输入您的手机号码，用于领取礼品和接收到店服务消息。`,
  shareContactButton: '📱 发送本机号码',
  badPhone: '手机号码好像不对。请输入 11 位手机号，例如 13812345678；境外号码请以 + 和国家码开头，例如 +85291234567。',
  codeSent: (phone) => `验证码已发送到 ${phone}，请回复短信里的 6 位数字（5 分钟内有效）。没收到？1 分钟后回复"重发"；号码填错了，直接回复正确的手机号。`,
  askCode: (phone) => `请回复发送到 ${phone} 的 6 位短信验证码。没收到？回复"重发"；号码填错了，直接回复正确的手机号。`,
  resendChoice: '重发验证码',
  resendWord: '重发',
  badCode: '请回复短信里的 6 位数字验证码；没收到请回复"重发"，号码填错了请直接回复正确的手机号。',
  wrongCode: '验证码不对，请核对短信里的 6 位数字后重新输入。',
  codeSpent: '这个验证码已失效（超过 5 分钟、输错次数过多或已有更新的验证码）。请回复"重发"获取新的验证码。',
  codeTooSoon: (ms) => `验证码发送太频繁，请${waitZh(ms)}后回复"重发"。也可以直接到前台登记。`,
  codeAccepted: '手机号验证成功。',
  askModel: '您对哪款车型感兴趣？请回复序号：',
  badModel: (n) => `请回复 1 到 ${n} 之间的序号，或直接输入车型名称。`,
  askHeardFrom: '您是通过什么渠道了解到我们门店的？请回复序号：',
  badHeardFrom: (n) => `请回复 1 到 ${n} 之间的序号。`,
  askCompanions: '今天有谁陪您一起来看车？可多选，用空格分隔（例如：1 2）；独自前来请回复 0。',
  aloneChoice: '独自前来',
  badCompanions: (n) => `请回复 0 到 ${n} 之间的序号，多个用空格分隔，例如：1 2；独自前来请回复 0。`,
  askMarketing: '最后一个问题（可选）：是否愿意接收新车上市、优惠活动等营销信息？选择"不需要"同样可以领取礼品，之后也可随时回复"TD"退订。',
  marketingYes: '愿意接收',
  marketingNo: '不需要',
  badMarketing: '请回复 1 愿意接收，或回复 2 不需要。两种选择都可以领取礼品。',
  registered: (name, gift, code) => `登记成功，谢谢${name}！您的礼品券码是 ${formatVoucherCode(code)}，请在前台出示此券码领取「${gift}」。`,
  alreadyRegistered: (gift, code) => `您已经登记过了，无需重复登记。您的礼品券码是 ${formatVoucherCode(code)}，请在前台出示领取「${gift}」。`,
  outOfStock: (name, gift) => `登记成功，谢谢${name}！很抱歉，本次活动的「${gift}」已经全部送完，未能为您准备礼品，敬请谅解。我们的顾问会继续为您服务。`,
  alreadyRegisteredNoGift: '您已经登记过了，无需重复登记。很抱歉，本次活动礼品已送完。',
  confirmAtDesk: (name, gift) => `登记已收到，谢谢${name}！「${gift}」需要由前台工作人员当面核对后发放：请到前台告知您的手机号，工作人员确认后即可领取。`,
  busy: '现在登记的人比较多，请稍等一分钟后再回复一次，您填写的内容已为您保留。',
  failed: (reason) => `抱歉，登记没有成功：${reason}。请回复"重新开始"再试一次，或联系前台工作人员。`,
  cancelled: '已取消登记，您刚才填写的信息不会保存。想重新登记时，回复"重新开始"即可。',
  finishedHint: '您的登记已完成。如需重新登记，请回复"重新开始"。',
  noSource: '请扫描门店海报上的二维码开始登记。',
};

const en: RegistrationTexts = {
  welcome: (store, gift) => `Welcome to ${store}! Register in a minute and receive a free gift: ${gift}.`,
  agreeChoice: 'I agree, continue',
  declineChoice: 'I do not agree',
  askConsentAgain: 'Please reply 1 to agree and continue, or 2 if you do not agree.',
  declined: (hotline) => `All right, we will not collect any of your data. If you change your mind, reply "restart". Questions: ${hotline}.`,
  askName: 'What is your name? (e.g. Wei Zhang)',
  badName: 'Please enter your name, 1 to 30 characters, e.g. Wei Zhang.',
  askPhone: (name) => `Thank you, ${name}. Please enter your mobile number, for the gift and for service messages about this visit.`,
  shareContactButton: '📱 Share my phone number',
  badPhone: 'That does not look like a mobile number. Enter 11 digits for mainland China, e.g. 13812345678, or + and the country code, e.g. +85291234567.',
  codeSent: (phone) => `We sent a code to ${phone}: please reply with the 6 digits from the SMS (valid for 5 minutes). No SMS? Reply "resend" in a minute; wrong number? Just reply with the right one.`,
  askCode: (phone) => `Please reply with the 6-digit code we sent to ${phone}. No SMS? Reply "resend"; wrong number? Just reply with the right one.`,
  resendChoice: 'Send a new code',
  resendWord: 'resend',
  badCode: 'Please reply with the 6-digit code from the SMS; reply "resend" if it did not come, or the right number if this one is wrong.',
  wrongCode: 'That code is not right: please check the 6 digits in the SMS and type them again.',
  codeSpent: 'This code no longer works (more than 5 minutes, too many tries, or a newer code was sent). Reply "resend" for a new one.',
  codeTooSoon: (ms) => `Codes were asked for too often: please reply "resend" in ${waitEn(ms)}, or register at the front desk.`,
  codeAccepted: 'Your number is verified.',
  askModel: 'Which model are you interested in? Reply with its number:',
  badModel: (n) => `Please reply with a number from 1 to ${n}, or type the model's name.`,
  askHeardFrom: 'How did you hear about our store? Reply with its number:',
  badHeardFrom: (n) => `Please reply with a number from 1 to ${n}.`,
  askCompanions: 'Who came with you today? Choose any, separated by spaces (e.g. 1 2); reply 0 if you came alone.',
  aloneChoice: 'I came alone',
  badCompanions: (n) => `Please reply with numbers from 0 to ${n}, separated by spaces, e.g. 1 2; reply 0 if you came alone.`,
  askMarketing: 'Last question (optional): would you like news about new models and offers? You get the gift either way, and you can reply TD at any time to stop.',
  marketingYes: 'Yes, please',
  marketingNo: 'No, thanks',
  badMarketing: 'Please reply 1 for yes or 2 for no. You get the gift either way.',
  registered: (name, gift, code) => `You are registered, ${name}, thank you! Your voucher code is ${formatVoucherCode(code)}: show it at the front desk to receive your ${gift}.`,
  alreadyRegistered: (gift, code) => `You have already registered. Your voucher code is ${formatVoucherCode(code)}: show it at the front desk to receive your ${gift}.`,
  outOfStock: (name, gift) => `You are registered, ${name}, thank you! We are sorry: all ${gift} gifts of this campaign have been given away. Your consultant will keep looking after you.`,
  alreadyRegisteredNoGift: 'You have already registered. We are sorry: the gifts of this campaign have all been given away.',
  confirmAtDesk: (name, gift) => `Thank you, ${name}, we have your registration! Your ${gift} is handed out after the front desk checks it in person: please tell them your mobile number at the desk.`,
  busy: 'Many people are registering right now: please reply again in a minute. Your answers are kept.',
  failed: (reason) => `Sorry, the registration did not go through: ${reason}. Reply "restart" to try again, or ask the front desk.`,
  cancelled: 'Registration cancelled; nothing you typed has been kept. Reply "restart" whenever you want to register.',
  finishedHint: 'Your registration is complete. Reply "restart" to register again.',
  noSource: 'Please scan the QR code on the store poster to register.',
};

const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));
const waitZh = (ms: number): string => (minutes(ms) < 60 ? ` ${minutes(ms)} 分钟` : ` ${Math.ceil(ms / 3600_000)} 小时`);
const waitEn = (ms: number): string => (minutes(ms) < 60 ? `${minutes(ms)} minute${minutes(ms) === 1 ? '' : 's'}` : `${Math.ceil(ms / 3600_000)} hours`);

/** The registration texts in a locale. */
export function registrationTexts(locale: Locale): RegistrationTexts {
  return locale === 'en' ? en : zh;
}
