export * from './bottle-style.ts';
export * from './camera-simulator.ts';
export * from './frame-publisher.ts';
export * from './render-shelf.ts';
export * from './rng.ts';
export * from './shelf-scene.ts';
