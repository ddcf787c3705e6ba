import type { FastifyRequest } from 'fastify';

/** The origin (`scheme://host[:port]`) of a URL, or null when it is not one (e.g. the literal "null"). */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether a state-changing request comes from this site's own pages: its Origin (or, when a
 * browser sends none, its Referer) is the public address (`PUBLIC_BASE_URL`, scheme included —
 * what a proxy that rewrites `Host` leaves intact) or the address the request was sent to. A
 * request with neither header is not a browser form from another site (browsers send Origin
 * on cross-site POSTs) and passes; `Origin: null` (a sandboxed or privacy-stripped page) does
 * not. Never throws, whatever the headers hold.
 */
export function isSameSite(request: FastifyRequest, publicBaseUrl: string): boolean {
  const header = request.headers.origin ?? request.headers.referer;
  if (header === undefined) return true;
  const origin = originOf(Array.isArray(header) ? (header[0] ?? '') : header);
  if (origin === null) return false;
  if (origin === originOf(publicBaseUrl)) return true;
  return origin === originOf(`${request.protocol}://${request.headers.host ?? ''}`);
}

/** Cookies are marked Secure (sent over https only) when the site is served over https. */
export function secureCookies(publicBaseUrl: string): boolean {
  return publicBaseUrl.startsWith('https:');
}
