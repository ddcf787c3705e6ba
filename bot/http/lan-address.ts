import os from 'node:os';

/**
 * The machine's first non-internal IPv4 address, so a phone on the same Wi-Fi can open the
 * poster's link; 127.0.0.1 when there is none.
 */
export function lanAddress(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
