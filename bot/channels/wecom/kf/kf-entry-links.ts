import { createHash } from 'node:crypto';
import type { Clock } from '../../../../core/clock.ts';
import type { Database } from '../../../../core/db/open-database.ts';
import { isQrSourceCode } from '../../../../core/registration/qr-source-code.ts';
import type { WecomApiClient } from '../wecom-api-client.ts';

/** kf/add_contact_way's scene: ≤ 32 bytes of [0-9A-Za-z_-] (path/94665). */
const KF_SCENE = /^[0-9A-Za-z_-]{1,32}$/;

/**
 * The scene for a QR source: its code when it fits (codes may have 64 characters, scenes 32
 * bytes), else `h` and 31 characters of the code's SHA-256 in base64url — stored beside the link,
 * so enter_session's scene leads back to the source either way.
 */
export function kfSceneFor(sourceCode: string): string {
  if (KF_SCENE.test(sourceCode)) return sourceCode;
  return `h${createHash('sha256').update(sourceCode).digest('base64url').slice(0, 31)}`;
}

/** The QR source an enter_session's scene stands for; null when it names none. */
export async function sourceOfScene(db: Database, scene: string | undefined): Promise<string | null> {
  if (!scene) return null;
  const link = await db.wecomKfEntryLink.findUnique({ where: { scene }, select: { sourceCode: true } });
  if (link) return link.sourceCode;
  // A link made by hand in the WeCom admin with the code as its scene works too.
  return isQrSourceCode(scene) ? scene : null;
}

/**
 * The 微信客服 link that opens the kf chat at a QR source (printed as its QR code). Made once per
 * source and account with kf/add_contact_way and kept in the database: WeCom has no call to list
 * the links it made, and each call makes another.
 */
export async function kfEntryLink(deps: { api: WecomApiClient; db: Database; clock: Clock; openKfId: string }, sourceCode: string): Promise<string> {
  const { api, db, clock, openKfId } = deps;
  const cached = await db.wecomKfEntryLink.findUnique({ where: { sourceCode } });
  if (cached?.openKfId === openKfId) return cached.url;
  const scene = kfSceneFor(sourceCode);
  const url = await api.kfAddContactWay({ openKfId, scene });
  const row = { scene, openKfId, url, createdAt: clock.now() };
  await db.wecomKfEntryLink.upsert({ where: { sourceCode }, create: { sourceCode, ...row }, update: row });
  return url;
}
