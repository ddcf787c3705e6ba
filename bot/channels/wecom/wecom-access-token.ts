// The access_token of one WeCom app secret. WeCom's rules (获取access_token,
// https://developer.work.weixin.qq.com/document/path/91039): cache it, never fetch it per call
// (gettoken is rate-limited), it normally lives `expires_in` = 7200 s, and WeCom may revoke it
// early, so a rejected token must be refreshed.

/** What gettoken gave: the token and how long it lives, in seconds. */
export interface FetchedToken {
  token: string;
  expiresInS: number;
}

/** A fresh token a little before the old one expires: the margin absorbs clock skew and slow calls. */
const DEFAULT_MARGIN_MS = 5 * 60_000;

/**
 * Holds the token of one secret. Callers that find it stale or missing share ONE in-flight
 * gettoken; a token rejected by WeCom is dropped once, however many callers saw it rejected.
 */
export class WecomAccessTokenCache {
  #current: { token: string; refreshAt: number } | null = null;
  #inFlight: Promise<string> | null = null;

  /**
   * @param fetchToken calls gettoken (and throws its typed errors).
   * @param now the clock the lifetime is measured by (ms since the epoch).
   * @param marginMs how long before `expires_in` runs out the token is replaced.
   */
  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number,
    private readonly marginMs = DEFAULT_MARGIN_MS,
  ) {}

  /** A token valid for a while yet; fetches one (shared with concurrent callers) when needed. */
  get(): Promise<string> {
    const current = this.#current;
    if (current && this.now() < current.refreshAt) return Promise.resolve(current.token);
    return this.#refresh();
  }

  /**
   * Forgets `token` if it is still the cached one. Comparing the token keeps a burst of
   * 42001 answers to one stale token from throwing away the fresh one a first caller got.
   */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = null;
  }

  #refresh(): Promise<string> {
    this.#inFlight ??= (async () => {
      try {
        const fetchedAt = this.now();
        const { token, expiresInS } = await this.fetchToken();
        // A lifetime shorter than the margin would never count as fresh; keep half of it then.
        const lifetimeMs = expiresInS * 1000;
        const margin = Math.min(this.marginMs, lifetimeMs / 2);
        this.#current = { token, refreshAt: fetchedAt + lifetimeMs - margin };
        return token;
      } finally {
        this.#inFlight = null;
      }
    })();
    return this.#inFlight;
  }
}
