// Shapes of WeCom's successful answers (errcode 0), checked with zod where a wrong shape would
// hurt: ids we store, cursors we persist, lists we page through. Fields we do not use are not
// declared (zod drops them). Sources: the 服务端API pages of developer.work.weixin.qq.com (the
// page number is given where it was checked).
import { z } from 'zod';

/** An answer whose only content is errcode 0 (e.g. send_welcome_msg). */
export const emptyAnswer = z.object({});

/** gettoken (path/91039). */
export const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/** externalcontact/add_contact_way: config_id, and qr_code when scene = 2. */
export const addContactWayAnswer = z.object({ config_id: z.string().min(1), qr_code: z.string().optional() });

/** externalcontact/get. `state` on a follow user is the contact way's state. */
export const externalContactAnswer = z.object({
  external_contact: z.object({
    external_userid: z.string(),
    name: z.string(),
    type: z.number().int(),
    avatar: z.string().optional(),
    gender: z.number().int().optional(),
    unionid: z.string().optional(),
  }),
  follow_user: z.array(z.object({
    userid: z.string(),
    remark: z.string().optional(),
    createtime: z.number().int(),
    state: z.string().optional(),
    add_way: z.number().int().optional(),
  })).default([]),
  next_cursor: z.string().optional(),
});
export type ExternalContactDetail = z.infer<typeof externalContactAnswer>;

/** externalcontact/add_msg_template: the task id, and who could not be included. */
export const addMsgTemplateAnswer = z.object({ msgid: z.string().min(1), fail_list: z.array(z.string()).default([]) });

/**
 * externalcontact/get_groupmsg_list_v2: the templates made in a time range. create_time is a
 * string in the documented example and a number elsewhere: either is read as seconds.
 */
export const groupMsgListAnswer = z.object({
  next_cursor: z.string().default(''),
  group_msg_list: z.array(z.object({
    msgid: z.string(),
    creator: z.string().optional(),
    create_type: z.number().int().optional(),
    create_time: z.union([z.number(), z.string()]).optional(),
    text: z.object({ content: z.string() }).optional(),
  })).default([]),
});
export type GroupMsgListPage = z.infer<typeof groupMsgListAnswer>;

/**
 * externalcontact/get_groupmsg_send_result. status: 0 未发送, 1 已发送,
 * 2 因客户不是好友导致发送失败, 3 因客户已经收到其他群发消息导致发送失败.
 */
export const groupMsgSendResultAnswer = z.object({
  next_cursor: z.string().default(''),
  send_list: z.array(z.object({
    external_userid: z.string().optional(),
    chat_id: z.string().optional(),
    userid: z.string(),
    status: z.number().int(),
    send_time: z.number().int().optional(),
  })).default([]),
});
export type GroupMsgSendResult = z.infer<typeof groupMsgSendResultAnswer>;

/** externalcontact/transfer_customer and resigned/transfer_customer. */
export const transferCustomerAnswer = z.object({
  customer: z.array(z.object({ external_userid: z.string(), errcode: z.number().int() })).default([]),
});
export type TransferCustomerResult = z.infer<typeof transferCustomerAnswer>['customer'];

/** externalcontact/list (path/92113): the customers an employee added. */
export const externalContactListAnswer = z.object({ external_userid: z.array(z.string()).default([]) });

/** externalcontact/get_unassigned_list (path/92124): customers of employees who left, waiting for 离职继承. */
export const unassignedListAnswer = z.object({
  info: z.array(z.object({ handover_userid: z.string(), external_userid: z.string(), dimission_time: z.number().int().optional() })).default([]),
  is_last: z.boolean().default(true),
  next_cursor: z.string().default(''),
});
export type UnassignedPage = z.infer<typeof unassignedListAnswer>;

/**
 * externalcontact/transfer_result (path/94088) and resigned/transfer_result (path/94082). status:
 * 1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户达到上限; takeover_time is the (future) time of
 * the automatic takeover while waiting.
 */
export const transferResultAnswer = z.object({
  customer: z.array(z.object({ external_userid: z.string(), status: z.number().int(), takeover_time: z.number().int().default(0) })).default([]),
  next_cursor: z.string().default(''),
});
export type TransferResultPage = z.infer<typeof transferResultAnswer>;

/** kf/add_contact_way (path/94665). */
export const kfContactWayAnswer = z.object({ url: z.string().min(1) });

/** kf/account/list (path/94661). */
export const kfAccountListAnswer = z.object({
  account_list: z.array(z.object({
    open_kfid: z.string(),
    name: z.string(),
    avatar: z.string().optional(),
    manage_privilege: z.boolean().optional(),
  })).default([]),
});
export type KfAccount = z.infer<typeof kfAccountListAnswer>['account_list'][number];

/**
 * One entry of kf/sync_msg (path/94670). origin: 3 微信客户发送的消息, 4 系统推送的事件消息,
 * 5 接待人员在企业微信客户端发送的消息. Events (msgtype `event`) carry `event.event_type`, and an
 * `enter_session` event may carry a `welcome_code` (one message within 20 s).
 */
export const kfMessage = z.object({
  msgid: z.string(),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  send_time: z.number().int(),
  origin: z.number().int(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string(), menu_id: z.string().optional() }).optional(),
  event: z.object({
    event_type: z.string(),
    open_kfid: z.string().optional(),
    external_userid: z.string().optional(),
    scene: z.string().optional(),
    scene_param: z.string().optional(),
    welcome_code: z.string().optional(),
  }).optional(),
});
export type KfMessage = z.infer<typeof kfMessage>;

/** kf/sync_msg: a page of messages and the cursor to persist. */
export const kfSyncAnswer = z.object({
  next_cursor: z.string().default(''),
  has_more: z.union([z.number(), z.boolean()]).transform((v) => v === true || v === 1),
  msg_list: z.array(kfMessage).default([]),
});
export type KfSyncPage = z.infer<typeof kfSyncAnswer>;

/** kf/send_msg and kf/send_msg_on_event. */
export const kfSendAnswer = z.object({ msgid: z.string().min(1) });

/** message/send: partial failures come back with errcode 0. */
export const appMessageAnswer = z.object({
  msgid: z.string().default(''),
  invaliduser: z.string().optional(),
  unlicenseduser: z.string().optional(),
});

/** user/list_id (path/96067). An empty next_cursor means the last page. */
export const userIdListAnswer = z.object({
  next_cursor: z.string().default(''),
  dept_user: z.array(z.object({ userid: z.string(), department: z.number().int() })).default([]),
});
export type UserIdPage = z.infer<typeof userIdListAnswer>;

/** user/get, the fields the bot uses. status: 1 已激活, 2 已禁用, 4 未激活, 5 退出企业. */
export const userAnswer = z.object({
  userid: z.string(),
  name: z.string().optional(),
  department: z.array(z.number().int()).default([]),
  position: z.string().optional(),
  status: z.number().int().optional(),
});
export type WecomUser = z.infer<typeof userAnswer>;

/** auth/getuserinfo (path/91023): a member has `userid`, anyone else `openid` (and maybe `external_userid`). */
export const userInfoAnswer = z.object({
  userid: z.string().optional(),
  user_ticket: z.string().optional(),
  openid: z.string().optional(),
  external_userid: z.string().optional(),
});
