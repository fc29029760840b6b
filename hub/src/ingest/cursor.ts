export interface SeqGap {
  fromSeq: number;
  toSeq: number;
}

export interface CursorAdvance {
  ackSeq: number;
  /** New gaps to record: seqs below `fromSeq` the hub never got and the gateway no longer holds. */
  gaps: SeqGap[];
}

/**
 * Moves a gateway's cursor over the seqs the ledger holds (DESIGN.md "Stock events: the ledger"):
 * the ack is the highest seq up to which every seq is applied or written off. A seq below `fromSeq` that is
 * missing is gone from the gateway for good, so it becomes a gap instead of holding the cursor back; a
 * missing seq at or above `fromSeq` may still arrive, so the cursor waits there.
 *
 * @param ackSeq the cursor before this batch
 * @param fromSeq the oldest seq the gateway still holds
 * @param heldSeqs seqs above `ackSeq` present in the ledger, ascending
 */
export function advanceCursor(ackSeq: number, fromSeq: number, heldSeqs: Iterable<number>): CursorAdvance {
  let ack = ackSeq;
  const gaps: SeqGap[] = [];
  const writeOffUpTo = (seq: number) => {
    if (seq > ack) {
      gaps.push({ fromSeq: ack + 1, toSeq: seq });
      ack = seq;
    }
  };
  for (const seq of heldSeqs) {
    if (seq <= ack) continue;
    if (seq > ack + 1) writeOffUpTo(Math.min(seq - 1, fromSeq - 1));
    if (seq !== ack + 1) break;
    ack = seq;
  }
  writeOffUpTo(fromSeq - 1);
  return { ackSeq: ack, gaps };
}
