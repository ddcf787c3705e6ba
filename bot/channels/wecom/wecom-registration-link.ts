import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';

/** Who a personal registration link is for: the WeCom customer and the consultant they added. */
export interface RegistrationBinding {
  externalUserId: string;
  /** The staff member linked to the WeCom employee the customer added; null when none is linked. */
  staffId: string | null;
}

/** How long a personal link works: a customer may fill the form days after adding the consultant. */
const LINK_TTL_MS = 7 * 24 * 3600_000;
const SIGNATURE_CHARS = 27; // 160 bits of the HMAC, base64url

/**
 * Signs and checks the `w` token of a personal registration link (`/r/<code>?w=<token>`): the
 * binding and an expiry, with an HMAC under a server secret. The token is the proof that the
 * customer came through the consultant's 「联系我」 code, so the registration may link their
 * WeCom identity and make that consultant the lead's owner.
 */
export class RegistrationLinkSigner {
  readonly #key: Buffer;

  /** @param secret a server secret (the app secret): the key is derived from it, so restarts agree. */
  constructor(secret: string, private readonly clock: Clock) {
    this.#key = createHmac('sha256', secret).update('showroom-concierge wecom registration link').digest();
  }

  sign(binding: RegistrationBinding): string {
    const payload = Buffer.from(JSON.stringify({ e: binding.externalUserId, s: binding.staffId, x: this.clock.now().getTime() + LINK_TTL_MS })).toString('base64url');
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The binding of a genuine, unexpired token; null for anything else. */
  verify(token: unknown): RegistrationBinding | null {
    if (typeof token !== 'string' || token.length > 512) return null;
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.#mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const { e, s, x } = (data ?? {}) as { e?: unknown; s?: unknown; x?: unknown };
    if (typeof e !== 'string' || e.length === 0 || (s !== null && typeof s !== 'string') || typeof x !== 'number') return null;
    if (this.clock.now().getTime() > x) return null;
    return { externalUserId: e, staffId: s };
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url').slice(0, SIGNATURE_CHARS);
  }
}
