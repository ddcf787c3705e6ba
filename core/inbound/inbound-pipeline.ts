import type { ConversationState } from '../flows/conversation-state.ts';
import type { OutboundMessage } from '../messages.ts';
import { ignoredStep, staleButtonStep, unsupportedStep } from './chat-steps.ts';
import { complaintStep, optOutStep, surveyAnswerStep } from './care-steps.ts';
import type { InboundContext } from './inbound-context.ts';
import { dataRequestStep, resumeCareStep } from './privacy-steps.ts';
import { controlWordStep, entryStep, registrationStep } from './registration-steps.ts';
import { staffCommandStep, staffInvitationStep } from './staff-steps.ts';

/** What a step that handles a message decides. */
export interface StepAnswer {
  replies: OutboundMessage[];
  /** The conversation's next state, when the step changes it (saved if it differs from the loaded one). */
  state?: ConversationState;
  /** Whose store (and staff member) the replies belong to, when the step knows better than the chat's store. */
  replyTo?: { storeId: string; staffId?: string };
}

/** One step of the pipeline: it handles the message (an answer) or passes it on (null). */
export interface InboundStep {
  readonly name: string;
  run(ctx: InboundContext): Promise<StepAnswer | null>;
}

/**
 * Every inbound message, on every channel, goes through these steps in this order until one
 * handles it (like grammY's Composer). The order is the routing:
 * - events that are not a message to answer come first (not for us; a tap on an old keyboard;
 *   content we cannot read);
 * - then staff: an invitation links the chat, and a linked staff member's chat only ever runs
 *   staff commands — a consultant typing "TD" is not opting out;
 * - then the customer: entry points, opt-out before anything else that reads text (it must
 *   always work), then its undoing ("重新开始" after an opt-out) and the customer's data
 *   requests (see, copy, erase: never taken as a name or an answer), complaints, an open
 *   survey's answer, control words, and last the registration flow, which answers anything (at
 *   worst "scan the poster").
 */
export const INBOUND_STEPS: readonly InboundStep[] = [
  ignoredStep,
  staleButtonStep,
  unsupportedStep,
  staffInvitationStep,
  staffCommandStep,
  entryStep,
  optOutStep,
  resumeCareStep,
  dataRequestStep,
  complaintStep,
  surveyAnswerStep,
  controlWordStep,
  registrationStep,
];

/** Runs the steps in order; the first answer wins. The last step answers everything, so none falls through. */
export async function runInboundSteps(steps: readonly InboundStep[], ctx: InboundContext): Promise<{ step: string; answer: StepAnswer }> {
  for (const step of steps) {
    const answer = await step.run(ctx);
    if (answer) return { step: step.name, answer };
  }
  throw new Error(`No inbound step handled ${ctx.message.channel} ${ctx.message.event.kind} ${ctx.message.updateId}`);
}
