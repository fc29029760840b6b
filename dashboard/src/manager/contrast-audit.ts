/** One piece of text whose colour does not stand out enough from what is behind it. */
export interface ContrastFailure {
  text: string;
  /** tag.class of the element holding the text. */
  element: string;
  ratio: number;
  required: number;
  colour: string;
  background: string;
}

/**
 * WCAG 2.x AA contrast of every visible piece of text on the page, from the browser's computed colours:
 * the text colour over its effective background (each ancestor's background composited, alpha included,
 * over the canvas), 4.5:1 for normal text and 3:1 for large text (24 px, or 18.66 px bold). Disabled
 * controls and visually hidden text are exempt, as WCAG 1.4.3 says.
 *
 * Runs inside the page (`page.evaluate(auditContrast)`): it must not use anything from its module. The DOM
 * is typed here by the little it reads, so Node-only programs (the e2e suites) can import it too.
 */
export function auditContrast(): ContrastFailure[] {
  interface Style {
    backgroundColor: string;
    color: string;
    fill: string;
    display: string;
    visibility: string;
    clipPath: string;
    fontSize: string;
    fontWeight: string;
  }
  interface Element {
    parentElement: Element | null;
    tagName: string;
    className: unknown;
    namespaceURI: string | null;
    hidden?: boolean;
    closest(selector: string): Element | null;
    getBoundingClientRect(): { width: number; height: number };
  }
  interface Page {
    document: {
      body: Element;
      createTreeWalker(
        root: Element,
        show: number,
      ): { nextNode(): { parentElement: Element | null; textContent: string | null } | null };
    };
    getComputedStyle(element: Element): Style;
  }
  const { document, getComputedStyle } = globalThis as unknown as Page;
  /** NodeFilter.SHOW_TEXT */
  const SHOW_TEXT = 4;
  type Rgba = [number, number, number, number];
  const parse = (value: string): Rgba | null => {
    const m = /rgba?\(([^)]+)\)/.exec(value);
    if (!m) return null;
    const parts = m[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
  };
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };
  const background = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] >= 1) break;
    }
    return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const hidden = (element: Element) => {
    for (let node: Element | null = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.clipPath === 'inset(50%)')
        return true;
      if (node.hidden) return true;
    }
    const box = element.getBoundingClientRect();
    return box.width < 2 || box.height < 2;
  };
  const failures: ContrastFailure[] = [];
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent?.trim() ?? '';
    if (!element || !text || seen.has(element)) continue;
    seen.add(element);
    if (element.closest('option, script, style, noscript') || element.closest(':disabled')) continue;
    if (hidden(element)) continue;
    const style = getComputedStyle(element);
    const inSvg = element.namespaceURI === 'http://www.w3.org/2000/svg';
    const foreground = parse(inSvg ? style.fill : style.color);
    if (!foreground) continue;
    const behind = background(inSvg ? (element.closest('svg')?.parentElement ?? element) : element);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const required = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const value = ratio(over(foreground, behind), behind);
    if (value < required)
      failures.push({
        text: text.slice(0, 60),
        element: `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`,
        ratio: Math.round(value * 100) / 100,
        required,
        colour: style.color,
        background: `rgb(${behind.slice(0, 3).map(Math.round).join(', ')})`,
      });
  }
  return failures;
}
