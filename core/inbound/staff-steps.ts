import { joinTransaction } from '../db/join-transaction.ts';
import { runStaffCommand } from '../staff/run-command.ts';
import { InvitationError, redeemStaffInvitation } from '../staff/staff-invitations.ts';
import { staffReplyTo } from './chat-steps.ts';
import type { InboundStep } from './inbound-pipeline.ts';
import { inboundTexts } from './inbound-texts.ts';

/** What a linked staff member's start means: show them the commands. */
const START_AS_COMMAND = '帮助';

/**
 * A staff invitation presented in a chat links that chat to the staff member, once; a bad one
 * (unknown, expired, used, for another channel, staff member gone) is answered with what to do.
 */
export const staffInvitationStep: InboundStep = {
  name: 'staff invitation',
  async run(ctx) {
    const { event, channel, chatId } = ctx.message;
    if (event.kind !== 'staff_invitation') return null;
    const texts = inboundTexts(ctx.locale);
    try {
      const staff = await redeemStaffInvitation(ctx.tx, ctx.deps.clock, event.token, { channel, externalId: chatId });
      return { replies: [{ kind: 'text', text: texts.invitationLinked(staff.name, staff.role, channel) }], replyTo: { storeId: staff.storeId } };
    } catch (error) {
      if (!(error instanceof InvitationError) || error.code === 'not_allowed') throw error;
      return { replies: [{ kind: 'text', text: texts.invitationProblem(error.code, channel) }] };
    }
  },
};

/**
 * A linked, active staff member's chat runs staff commands (a start shows the commands). The
 * command joins the transaction that marks the message handled and keeps the reply, so a crash
 * runs it again from scratch or not at all: an order is never recorded twice, a follow-up never
 * lost; a refused command's partial writes are undone by its SAVEPOINT.
 */
export const staffCommandStep: InboundStep = {
  name: 'staff command',
  async run(ctx) {
    if (!ctx.staff) return null;
    const command = ctx.message.event.kind === 'start' ? START_AS_COMMAND : ctx.text;
    if (command === null) return null;
    const { reply } = await runStaffCommand(joinTransaction(ctx.tx), ctx.deps.clock, ctx.staff, command);
    return { replies: [{ kind: 'text', text: reply }], ...staffReplyTo(ctx) };
  },
};
