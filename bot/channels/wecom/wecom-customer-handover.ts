import type { CustomerHandoverPart } from '../channel-module.ts';
import type { TransferFailed } from './wecom-callback-xml.ts';
import { WecomApiError, WecomNetworkError, WecomUnexpectedAnswerError } from './wecom-errors.ts';
import { advanceHandover, checkDue, onTransferFailed } from './wecom-transfer-results.ts';
import { wecomUserIdOf, type WecomTransferDeps } from './wecom-transfer-start.ts';

/** WeCom's part of handing a leaving consultant's customers over, and what keeps it going. */
export interface WecomCustomerHandover extends CustomerHandoverPart {
  /** The poller's round: resumes unfinished starts, asks transfer_result about due takeovers. */
  checkDue(): Promise<void>;
  /** A transfer_fail callback (read from the durable inbox). */
  onTransferFailed(event: TransferFailed): Promise<void>;
}

const isWecomFailure = (error: unknown): boolean => error instanceof WecomApiError || error instanceof WecomNetworkError || error instanceof WecomUnexpectedAnswerError;

/** 客户继承 for handovers (wecom-transfer-start.ts and wecom-transfer-results.ts say how). */
export function wecomCustomerHandover(deps: WecomTransferDeps): WecomCustomerHandover {
  return {
    async refusal(fromStaffId, toStaffId) {
      if (!(await wecomUserIdOf(deps.db, fromStaffId)) || (await wecomUserIdOf(deps.db, toStaffId))) return null;
      // Who the successor may be is core's to check (customer-handover.ts); this only speaks of a real colleague.
      const to = await deps.db.staff.findUnique({ where: { id: toStaffId }, select: { name: true } });
      return to ? `${to.name} 还没有填写企业微信账号，企业微信客户无法转给 TA：请先在本页为其填写企业微信账号，再转交。` : null;
    },
    async run(handoverId) {
      let unreachable = false;
      try {
        if (!(await advanceHandover(deps, handoverId))) return null;
      } catch (error) {
        if (!isWecomFailure(error)) throw error;
        deps.logger.warn({ err: error, handoverId }, 'WeCom customer transfer: will try again');
        unreachable = true;
      }
      return summary(deps, handoverId, unreachable);
    },
    checkDue: () => checkDue(deps),
    onTransferFailed: (event) => onTransferFailed(deps, event),
  };
}

/** The page's line: how many WeCom customers, waiting for the customer's 24 h, failed, or still to be asked. */
async function summary(deps: WecomTransferDeps, handoverId: string, unreachable: boolean): Promise<string> {
  const [part, states] = await Promise.all([
    deps.db.wecomHandover.findUnique({ where: { handoverId } }),
    deps.db.wecomCustomerTransfer.groupBy({ by: ['state'], where: { handoverId }, _count: { _all: true } }),
  ]);
  const count = (state: string) => states.find((s) => s.state === state)?._count._all ?? 0;
  const total = states.reduce((sum, s) => sum + s._count._all, 0);
  const kind = part?.mode === 'RESIGNED' ? '离职继承' : '在职继承';
  if (!part?.listedAt) return `企业微信：${unreachable ? '暂时无法连接，' : ''}客户名单尚未取得，系统会自动重试。`;
  const later = count('PENDING') > 0 ? `，${count('PENDING')} 位${unreachable ? '因企业微信暂时无法连接' : ''}稍后自动重试` : '';
  return `企业微信（${kind}）：共 ${total} 位客户，${count('WAITING')} 位已发起转接（客户 24 小时内可拒绝），${count('DONE')} 位已完成，${count('FAILED')} 位未能转接${later}。`;
}
