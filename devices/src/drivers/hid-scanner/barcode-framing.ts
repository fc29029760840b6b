/**
 * A scanner's characters → whole barcodes. Scanners end each code with a terminator (Enter by default,
 * Tab on some) or nothing at all, and may be programmed to add a prefix or suffix (an AIM symbology
 * identifier like `]E0`, a site code). Those are stripped here so the barcode is what is printed.
 */
export type Terminator = 'enter' | 'tab' | 'none';

export interface BarcodeFramingOptions {
  terminator?: Terminator;
  /** Expected at the start of every code; stripped. A code without it is rejected. */
  prefix?: string;
  /** Expected at the end (before the terminator); stripped. */
  suffix?: string;
  /** With terminator `none`: a code ends after this long without a key (ms). Default 60. */
  idleMs?: number;
  /** A partial code older than this when the next key arrives was someone typing: dropped (ms). Default 2000. */
  staleMs?: number;
}

export type FramedBarcode = { ok: true; barcode: string } | { ok: false; reason: string; raw: string };

const TERMINATOR_CHAR: Record<Exclude<Terminator, 'none'>, string> = { enter: '\n', tab: '\t' };

export class BarcodeFraming {
  private buffer = '';
  private untyped = 0;
  private lastKeyAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly terminator: Terminator;
  private readonly idleMs: number;
  private readonly staleMs: number;

  constructor(
    private readonly options: BarcodeFramingOptions,
    private readonly onBarcode: (result: FramedBarcode) => void,
  ) {
    this.terminator = options.terminator ?? 'enter';
    this.idleMs = options.idleMs ?? 60;
    this.staleMs = options.staleMs ?? 2_000;
  }

  /** One typed character, or null for a key that types nothing on the layout. */
  push(char: string | null): void {
    const now = Date.now();
    if (this.buffer.length + this.untyped > 0 && now - this.lastKeyAt > this.staleMs) this.discard();
    this.lastKeyAt = now;
    if (this.terminator !== 'none' && char === TERMINATOR_CHAR[this.terminator]) {
      this.finish();
      return;
    }
    if (char === null) this.untyped++;
    else this.buffer += char;
    if (this.terminator === 'none') {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.finish(), this.idleMs);
    }
  }

  /** Feeds a string (stdin mode: the OS has already applied the layout). */
  pushText(text: string): void {
    for (const char of text.replace(/\r\n?/g, '\n')) this.push(char);
  }

  /**
   * End of input: a code waiting for its idle end (terminator `none`) is complete and goes out; a code
   * still missing its terminator is not a whole barcode and is dropped.
   */
  flush(): void {
    if (this.terminator === 'none' && this.buffer.length + this.untyped > 0) this.finish();
    else this.discard();
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.discard();
  }

  private discard(): void {
    this.buffer = '';
    this.untyped = 0;
  }

  private finish(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const raw = this.buffer;
    const untyped = this.untyped;
    this.discard();
    if (raw.length === 0 && untyped === 0) return; // a bare terminator
    this.onBarcode(this.frame(raw, untyped));
  }

  private frame(raw: string, untyped: number): FramedBarcode {
    if (untyped > 0) {
      return {
        ok: false,
        raw,
        reason: `${untyped} key(s) typed no character: is the keyboard layout right?`,
      };
    }
    let barcode = raw;
    const { prefix, suffix } = this.options;
    if (prefix) {
      if (!barcode.startsWith(prefix))
        return { ok: false, raw, reason: `missing prefix ${JSON.stringify(prefix)}` };
      barcode = barcode.slice(prefix.length);
    }
    if (suffix) {
      if (!barcode.endsWith(suffix))
        return { ok: false, raw, reason: `missing suffix ${JSON.stringify(suffix)}` };
      barcode = barcode.slice(0, barcode.length - suffix.length);
    }
    return { ok: true, barcode };
  }
}
