import { describe, expect, it } from 'vitest';
import { advanceCursor } from './cursor.ts';

describe('advanceCursor', () => {
  it('advances over contiguous seqs', () => {
    expect(advanceCursor(0, 1, [1, 2, 3])).toEqual({ ackSeq: 3, gaps: [] });
  });

  it('waits at a hole the gateway may still fill (at or above fromSeq)', () => {
    expect(advanceCursor(0, 1, [1, 2, 4, 5])).toEqual({ ackSeq: 2, gaps: [] });
  });

  it('writes off the seqs below fromSeq that never came, then continues', () => {
    expect(advanceCursor(2, 6, [6, 7])).toEqual({ ackSeq: 7, gaps: [{ fromSeq: 3, toSeq: 5 }] });
  });

  it('keeps seqs that did arrive out of order inside a written-off range', () => {
    expect(advanceCursor(2, 10, [5, 6, 10])).toEqual({
      ackSeq: 10,
      gaps: [
        { fromSeq: 3, toSeq: 4 },
        { fromSeq: 7, toSeq: 9 },
      ],
    });
  });

  it('writes off up to fromSeq - 1 even when nothing above is held yet', () => {
    expect(advanceCursor(0, 4, [])).toEqual({ ackSeq: 3, gaps: [{ fromSeq: 1, toSeq: 3 }] });
  });

  it('stops at a hole above fromSeq after writing off below it', () => {
    expect(advanceCursor(1, 4, [4, 6])).toEqual({ ackSeq: 4, gaps: [{ fromSeq: 2, toSeq: 3 }] });
  });

  it('changes nothing when the batch was a replay', () => {
    expect(advanceCursor(5, 3, [])).toEqual({ ackSeq: 5, gaps: [] });
  });
});
