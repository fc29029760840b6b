import type { ScaleTraits } from '../definitions/definition.ts';
import type { Prng } from './prng.ts';

/** What the scale needs to know about an item (the catalog's numbers). */
export interface SimItem {
  id: string;
  name: string;
  containerMl: number;
  emptyWeightG: number;
  /** Liquid density; a 40% ABV spirit is about 0.95 g/ml. */
  densityGPerMl: number;
  barcodes: readonly string[];
}

export interface Bottle {
  item: SimItem;
  /** Liquid left, integer ml. */
  levelMl: number;
}

/** Gross weight of a bottle: the glass plus its liquid. */
export function bottleGrams(bottle: Bottle): number {
  return bottle.item.emptyWeightG + bottle.levelMl * bottle.item.densityGPerMl;
}

export function sealedBottle(item: SimItem): Bottle {
  return { item, levelMl: item.containerMl };
}

/**
 * Transient offsets (g, relative to the new settled weight) for the readings right after a bottle is set
 * down: partly placed, the impact, a rebound, a last wobble. Signs alternate and every offset is at least
 * 5 g, well outside the gateway's stable tolerance (2 g by default), so no window that holds one of these
 * readings can look stable.
 */
export function putDownTransient(grams: number, prng: Prng): number[] {
  const wobble = (share: number, sign: 1 | -1) =>
    sign * Math.max(5 + prng.next() * 3, grams * share * (0.8 + 0.4 * prng.next()));
  return [wobble(0.45, -1), wobble(0.12, 1), wobble(0.04, -1), wobble(0.012, 1)];
}

/** Readings while a bottle leaves the platform: the hand takes its weight over two readings. */
export function liftTransient(grams: number, prng: Prng): number[] {
  return [grams * (0.7 + 0.1 * prng.next()), Math.max(6, grams * (0.15 + 0.1 * prng.next()))];
}

/**
 * One load-cell platform: what stands on it, the tare, the pending transient and the noise.
 * Pure apart from its PRNG: read() is the next reading the amplifier would give.
 */
export class PlatformModel {
  /** The bottle that belongs to this platform (on it, or in a bartender's hand), if any. */
  bottle: Bottle | undefined;
  onPlatform = false;
  tareG = 0;
  noiseSigmaG: number;
  #transient: number[] = [];

  constructor(
    private readonly traits: Pick<ScaleTraits, 'maxG' | 'resolutionG' | 'noiseSigmaG'>,
    private readonly prng: Prng,
    noiseSigmaG?: number,
  ) {
    this.noiseSigmaG = noiseSigmaG ?? traits.noiseSigmaG;
  }

  /** Weight on the platform without noise, transient or tare. */
  grossG(): number {
    return this.onPlatform && this.bottle ? bottleGrams(this.bottle) : 0;
  }

  /** Sets a bottle down (no transient: it was there when the scale started). */
  place(bottle: Bottle): void {
    this.bottle = bottle;
    this.onPlatform = true;
  }

  lift(): void {
    if (!this.bottle || !this.onPlatform) throw new Error('no bottle on the platform to lift');
    this.#transient = liftTransient(this.grossG(), this.prng);
    this.onPlatform = false;
  }

  /** Pours from the lifted bottle; a pour larger than what is left is an error in the scenario. */
  pour(ml: number): void {
    if (!this.bottle || this.onPlatform) throw new Error('lift the bottle before pouring');
    if (!Number.isInteger(ml) || ml <= 0)
      throw new RangeError(`pour must be a positive integer ml, not ${ml}`);
    if (ml > this.bottle.levelMl) throw new RangeError(`cannot pour ${ml} ml from ${this.bottle.levelMl} ml`);
    this.bottle = { ...this.bottle, levelMl: this.bottle.levelMl - ml };
  }

  putBack(): void {
    if (!this.bottle || this.onPlatform) throw new Error('no lifted bottle to put back');
    this.onPlatform = true;
    this.#transient = putDownTransient(this.grossG(), this.prng);
  }

  /** The lifted (empty) bottle goes to the bin; a sealed one of the same item goes on the platform. */
  replaceWithNewBottle(item: SimItem = this.bottle!.item): void {
    if (this.onPlatform) throw new Error('lift the old bottle before replacing it');
    this.bottle = sealedBottle(item);
    this.putBack();
  }

  /** The platform reads zero with what stands on it now. */
  tare(): void {
    this.tareG = this.grossG();
  }

  /** The next reading: settled weight + transient + gaussian noise, net of tare, in the device's steps and range. */
  read(): number {
    const offset = this.#transient.shift() ?? 0;
    const raw = this.grossG() + offset + this.prng.normal() * this.noiseSigmaG;
    // Overload reads as full scale; noise around zero may go slightly negative (protocol allows down to −1 kg).
    const clamped = Math.min(this.traits.maxG, Math.max(-1_000, raw)) - this.tareG;
    const steps = Math.round(clamped / this.traits.resolutionG);
    const decimals = Math.max(0, -Math.floor(Math.log10(this.traits.resolutionG)));
    return Number((steps * this.traits.resolutionG).toFixed(decimals));
  }

  /** Readings still to come before the platform is settled again. */
  get transientLeft(): number {
    return this.#transient.length;
  }
}
