import os from 'node:os';

/** Where a running instance is in its life: `/readyz` answers 200 only while it is `ready`. */
export type InstancePhase = 'starting' | 'ready' | 'stopping';

/** This instance's name in logs and health answers: INSTANCE_NAME, else the host name and process id. */
export function instanceName(configured: string | undefined): string {
  return configured ?? `${os.hostname()}-${process.pid}`;
}

/**
 * This process as an instance among several: its name and phase. Start-up marks it ready once
 * every part runs; a shutdown marks it stopping first, so a load balancer stops sending it
 * traffic while it hands its roles over.
 */
export class InstanceState {
  #phase: InstancePhase;

  constructor(readonly name: string, phase: InstancePhase = 'starting') {
    this.#phase = phase;
  }

  get phase(): InstancePhase {
    return this.#phase;
  }

  markReady(): void {
    if (this.#phase === 'starting') this.#phase = 'ready';
  }

  markStopping(): void {
    this.#phase = 'stopping';
  }
}
