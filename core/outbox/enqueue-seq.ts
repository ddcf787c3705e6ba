let last = 0n;

/**
 * The next creation-order number: microseconds of the wall clock, strictly increasing within the
 * process (several intents queued in one millisecond keep the order they were queued in). It
 * only breaks ties between intents of one chat due at the same instant, such as the replies to
 * one message, so the order across processes needs to be no finer than the clock's.
 */
export function nextEnqueueSeq(): bigint {
  const now = BigInt(Date.now()) * 1000n;
  last = now > last ? now : last + 1n;
  return last;
}
