import { describe, expect, it } from 'vitest';
import { containerLabelOf, containersOf, parGap, parMlFromContainers } from './pars.ts';

describe('suggested par against the par in force', () => {
  it('differs materially from a fifth of the par and half a bottle up', () => {
    // 10 bottles of 700 ml: 12 bottles is 20 % more, 11 only 10 %.
    expect(parGap(7000, 8400, 700)).toEqual({ direction: 'higher', share: 0.2, material: true });
    expect(parGap(7000, 7700, 700)).toMatchObject({ direction: 'higher', material: false });
    expect(parGap(7000, 4200, 700)).toEqual({ direction: 'lower', share: -0.4, material: true });
    expect(parGap(7000, 7000, 700)).toEqual({ direction: 'same', share: 0, material: false });
  });

  it('ignores a large share of a small par when it is under half a container', () => {
    // A 1-bottle par of a 1 L bottle: 1.3 L is 30 % more but less than half a bottle.
    expect(parGap(1000, 1300, 1000)).toMatchObject({ direction: 'higher', material: false });
    expect(parGap(1000, 1500, 1000)).toMatchObject({ direction: 'higher', material: true });
  });

  it('marks any suggestion where no par is in force, and nothing without a suggestion', () => {
    expect(parGap(null, 2100, 700)).toEqual({ direction: 'none', share: null, material: true });
    expect(parGap(0, 0, 700)).toEqual({ direction: 'none', share: null, material: false });
    expect(parGap(7000, null, 700)).toBeNull();
  });
});

describe('pars in containers', () => {
  it("names what the bar counts in, by the item's unit as the hub does", () => {
    expect(containerLabelOf({ category: 'keg', unit: 'ml' })).toBe('kegs');
    expect(containerLabelOf({ category: 'garnish', unit: 'unit' })).toBe('units');
    expect(containerLabelOf({ category: 'beer', unit: 'unit' })).toBe('units');
    expect(containerLabelOf({ category: 'spirit', unit: 'ml' })).toBe('bottles');
  });

  it('turns typed bottles into whole millilitres, refusing what is not a par', () => {
    expect(parMlFromContainers(7.5, 700)).toBe(5250);
    expect(parMlFromContainers(0, 700)).toBe(0);
    expect(parMlFromContainers(1 / 3, 750)).toBe(250);
    expect(parMlFromContainers(-1, 700)).toBeNull();
    expect(parMlFromContainers(Number.NaN, 700)).toBeNull();
    expect(parMlFromContainers(20_000, 700)).toBeNull();
    expect(containersOf(5237, 700)).toBe(7.5);
  });
});
