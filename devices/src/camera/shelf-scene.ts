import type { CameraSlotMap, SlotRect } from '@pourcast/protocol';
import { createRng, type Rng } from './rng.ts';

/** The fixed look of one camera's view: the wall behind the bottles, the shelf boards and the slot layout. */
export interface ShelfScene {
  cameraId: string;
  width: number;
  height: number;
  wall: { top: string; bottom: string; tile: boolean };
  board: { color: string; edge: string; thickness: number };
  /** Top of each shelf board (where bottles stand), one per row. */
  boardTops: number[];
  slotMap: CameraSlotMap;
}

export interface ShelfSceneOptions {
  cameraId: string;
  /** Item on each slot, in order; 6-16 slots. */
  itemIds: readonly string[];
  width?: number;
  height?: number;
  /** Container size of every slot's bottle, for levels in ml. */
  containerMl?: number;
  seed?: number;
}

const WALLS = [
  ['#3a2f28', '#1f1915'],
  ['#d8cfc0', '#a89d8c'],
  ['#2a3440', '#141a20'],
  ['#5b4636', '#2e231b'],
  ['#ececec', '#bdbdbd'],
  ['#1b1b1b', '#0d0d0d'],
] as const;
const BOARDS = [
  ['#6e4b2a', '#3d2915'],
  ['#9c9c9c', '#5c5c5c'],
  ['#2c2c2c', '#111111'],
  ['#b08a5a', '#6d5434'],
] as const;

/** Lays slots out on one board (up to 10) or two boards (11-16), left to right, top board first. */
export function layoutSlots(
  count: number,
  width: number,
  height: number,
): { rects: SlotRect[]; boardTops: number[] } {
  if (!Number.isInteger(count) || count < 1 || count > 16)
    throw new RangeError('a shelf camera sees 1-16 slots');
  const rows = count > 10 ? 2 : 1;
  const marginX = Math.round(width * 0.04);
  const rowHeight = (height * 0.94) / rows;
  const rects: SlotRect[] = [];
  const boardTops: number[] = [];
  let placed = 0;
  for (let row = 0; row < rows; row++) {
    const inRow = row === 0 ? Math.ceil(count / rows) : count - placed;
    const boardTop = Math.round(height * 0.02 + rowHeight * (row + 1) - height * 0.035);
    boardTops.push(boardTop);
    const slotHeight = Math.round(rowHeight * 0.84);
    const slotWidth = (width - 2 * marginX) / inRow;
    for (let i = 0; i < inRow; i++) {
      const x = Math.round(marginX + i * slotWidth);
      const next = Math.round(marginX + (i + 1) * slotWidth);
      rects.push({ x, y: boardTop - slotHeight, w: next - x, h: slotHeight });
    }
    placed += inRow;
  }
  return { rects, boardTops };
}

export function createShelfScene(options: ShelfSceneOptions): ShelfScene {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const rng: Rng = createRng(options.seed ?? 1);
  const { rects, boardTops } = layoutSlots(options.itemIds.length, width, height);
  const [top, bottom] = rng.pick(WALLS);
  const [color, edge] = rng.pick(BOARDS);
  return {
    cameraId: options.cameraId,
    width,
    height,
    wall: { top, bottom, tile: rng.chance(0.4) },
    board: { color, edge, thickness: Math.round(height * 0.035) },
    boardTops,
    slotMap: {
      version: 1,
      cameraId: options.cameraId,
      width,
      height,
      slots: rects.map((rect, index) => ({
        id: `s${String(index + 1).padStart(2, '0')}`,
        itemId: options.itemIds[index]!,
        rect,
        ...(options.containerMl ? { containerMl: options.containerMl } : {}),
      })),
      smoothing: {
        confirmFrames: 3,
        minHoldMs: 3_000,
        maxGapMs: 30_000,
        minLevelStep: 0.05,
        replacedAbove: 0.9,
        uncertainAbove: 0.5,
      },
    },
  };
}

/**
 * The scene for a slot map written earlier (a bar file, a gateway config): the wall and boards from `seed`,
 * the slots exactly as the map places them, a board under each row of slots.
 */
export function sceneForSlotMap(slotMap: CameraSlotMap, seed = 1): ShelfScene {
  const base = createShelfScene({
    cameraId: slotMap.cameraId,
    itemIds: slotMap.slots.map((slot) => slot.itemId),
    width: slotMap.width,
    height: slotMap.height,
    seed,
  });
  const boardTops = [...new Set(slotMap.slots.map((slot) => slot.rect.y + slot.rect.h))].sort(
    (a, b) => a - b,
  );
  return { ...base, boardTops, slotMap };
}
