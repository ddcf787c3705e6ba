import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { secureCookies } from './request-origin.ts';

/**
 * Security headers on every answer (@fastify/helmet): a strict Content-Security-Policy (scripts,
 * styles and everything else from this site only; images also as data: URLs for QR codes; no
 * framing, no <base>, forms post here only), nosniff, a same-origin referrer. Over https,
 * browsers are told to keep to https (HSTS): no downgrade to plain http on the showroom Wi-Fi.
 */
export function registerSecurityHeaders(app: FastifyInstance, publicBaseUrl: string): void {
  app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: secureCookies(publicBaseUrl) ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // Pages are opened from WeCom and WeChat (their in-app browsers): no cross-origin isolation that could break that.
    crossOriginEmbedderPolicy: false,
  });
}
