import type { Locale } from '../../../core/config.ts';

/** The words of the web pages (poster, H5 form, chat), per locale. */
export interface WebTexts {
  posterHeadline(giftName: string): string;
  posterSteps: string[];
  posterScanHint: string;
  posterChatLink: string;
  formTitle: string;
  formIntro(giftName: string): string;
  serviceConsentLabel: string;
  nameLabel: string;
  namePlaceholder: string;
  phoneLabel: string;
  phonePlaceholder: string;
  /** The one-time code field, shown when SMS codes are offered. */
  phoneCodeLabel: string;
  sendCode: string;
  codeSent: string;
  resendIn: string;
  modelLabel: string;
  modelPlaceholder: string;
  heardFromLabel: string;
  companionsLabel: string;
  marketingLabel: string;
  submit: string;
  submitting: string;
  chatInstead: string;
  voucherTitle: string;
  voucherHint(giftName: string): string;
  outOfStock(giftName: string): string;
  atDesk(giftName: string): string;
  alreadyRegistered: string;
  genericError: string;
  chatTitle: string;
  chatPlaceholder: string;
  chatSend: string;
  formInstead: string;
  notFoundTitle: string;
  notFoundBody: string;
  hints: Record<'source' | 'name' | 'phone' | 'phoneCode' | 'modelOfInterest' | 'heardFrom' | 'companions' | 'serviceConsent' | 'marketingConsent', string>;
}

const zh: WebTexts = {
  posterHeadline: (gift) => `扫码登记，领取「${gift}」`,
  posterSteps: ['用手机扫描下方二维码', '阅读告知并填写简短信息', '到前台出示券码领取礼品'],
  posterScanHint: '手机需与门店连接同一 Wi-Fi；也可直接打开下面的链接',
  posterChatLink: '用聊天方式登记',
  formTitle: '到店登记',
  formIntro: (gift) => `完成登记即可领取「${gift}」一份，约需 1 分钟。`,
  serviceConsentLabel: '我已阅读并同意上述告知（必选）',
  nameLabel: '姓名或称呼',
  namePlaceholder: '例如：张伟 或 张先生',
  phoneLabel: '手机号码',
  phonePlaceholder: '例如：138 1234 5678',
  phoneCodeLabel: '短信验证码',
  sendCode: '获取验证码',
  codeSent: '验证码已发送，5 分钟内有效',
  resendIn: '秒后可重新获取',
  modelLabel: '意向车型',
  modelPlaceholder: '请选择车型',
  heardFromLabel: '您是通过什么渠道了解到我们的？',
  companionsLabel: '今天同行的有（可多选，可不选）',
  marketingLabel: '我愿意接收新车上市、优惠活动等营销信息（可选，不影响领取礼品）',
  submit: '提交登记',
  submitting: '正在提交…',
  chatInstead: '更喜欢聊天？用聊天方式登记',
  voucherTitle: '登记成功',
  voucherHint: (gift) => `请在前台出示此券码，领取「${gift}」。`,
  outOfStock: (gift) => `登记成功！很抱歉，「${gift}」已经全部送完，未能为您准备礼品，敬请谅解。`,
  atDesk: (gift) => `登记已收到！「${gift}」需要由前台工作人员当面核对后发放：请到前台告知您的手机号，工作人员确认后即可领取。`,
  alreadyRegistered: '您之前已经登记过，这是您的券码。',
  genericError: '提交没有成功，请稍后再试，或联系前台工作人员。',
  chatTitle: '到店登记',
  chatPlaceholder: '输入回复…',
  chatSend: '发送',
  formInstead: '改用表单登记',
  notFoundTitle: '二维码无效',
  notFoundBody: '这个登记二维码不存在或已停用，请扫描展厅海报上的二维码，或联系前台工作人员。',
  hints: {
    source: '登记二维码无效，请重新扫描展厅海报上的二维码。',
    name: '请填写姓名或称呼，1 到 30 个字，例如：张伟。',
    phone: '请填写正确的手机号：11 位大陆手机号，例如 13812345678；境外号码请以 + 和国家码开头。',
    phoneCode: '请填写短信里的 6 位验证码；验证码不对或已过期时，请重新获取。',
    modelOfInterest: '请选择意向车型，不确定可选"还没想好"。',
    heardFrom: '请选择您了解到我们的渠道。',
    companions: '请从列表中选择同行人员，或不选。',
    serviceConsent: '请阅读并勾选同意告知，才能完成登记。',
    marketingConsent: '营销信息选项有误，请重新勾选或不勾选。',
  },
};

const en: WebTexts = {
  posterHeadline: (gift) => `Scan, register and receive: ${gift}`,
  posterSteps: ['Scan the QR code below with your phone', 'Read the notice and fill in a short form', 'Show your voucher code at the front desk'],
  posterScanHint: 'Your phone must be on the store Wi-Fi; you can also open the link below',
  posterChatLink: 'Register by chat',
  formTitle: 'Visitor registration',
  formIntro: (gift) => `Register in about a minute and receive a free ${gift}.`,
  serviceConsentLabel: 'I have read and agree to the notice above (required)',
  nameLabel: 'Name',
  namePlaceholder: 'e.g. Wei Zhang',
  phoneLabel: 'Mobile number',
  phonePlaceholder: 'e.g. 138 1234 5678',
  phoneCodeLabel: 'SMS code',
  sendCode: 'Send code',
  codeSent: 'Code sent; it is valid for 5 minutes',
  resendIn: 's until you can ask again',
  modelLabel: 'Model of interest',
  modelPlaceholder: 'Choose a model',
  heardFromLabel: 'How did you hear about us?',
  companionsLabel: 'Who came with you today (optional)',
  marketingLabel: 'Send me news about new models and offers (optional; the gift does not depend on it)',
  submit: 'Register',
  submitting: 'Sending…',
  chatInstead: 'Prefer chatting? Register by chat',
  voucherTitle: 'You are registered',
  voucherHint: (gift) => `Show this code at the front desk to receive your ${gift}.`,
  outOfStock: (gift) => `You are registered! We are sorry: all ${gift} gifts have been given away.`,
  atDesk: (gift) => `We have your registration! Your ${gift} is handed out after the front desk checks it in person: please tell them your mobile number at the desk.`,
  alreadyRegistered: 'You registered before; here is your voucher code.',
  genericError: 'That did not go through. Please try again in a moment or ask the front desk.',
  chatTitle: 'Visitor registration',
  chatPlaceholder: 'Type your reply…',
  chatSend: 'Send',
  formInstead: 'Use the form instead',
  notFoundTitle: 'Unknown QR code',
  notFoundBody: 'This registration code does not exist or is no longer active. Please scan the code on the showroom poster or ask the front desk.',
  hints: {
    source: 'This registration code is not valid; please scan the code on the showroom poster again.',
    name: 'Please enter your name, 1 to 30 characters.',
    phone: 'Please enter a valid mobile number: 11 digits for mainland China, or + and the country code.',
    phoneCode: 'Please enter the 6-digit code from the SMS; if it is wrong or expired, ask for a new one.',
    modelOfInterest: 'Please choose a model, or "Not sure yet".',
    heardFrom: 'Please choose how you heard about us.',
    companions: 'Please choose from the list, or leave it empty.',
    serviceConsent: 'Please read and accept the notice to register.',
    marketingConsent: 'Please tick or untick the marketing choice again.',
  },
};

/** The web pages' texts in a locale. */
export function webTexts(locale: Locale): WebTexts {
  return locale === 'en' ? en : zh;
}

/** The page locale: `?lang=en` or `?lang=zh-CN`, else the configured default. */
export function pageLocale(query: unknown, fallback: Locale): Locale {
  const lang = (query as { lang?: unknown } | undefined)?.lang;
  return lang === 'en' || lang === 'zh-CN' ? lang : fallback;
}
