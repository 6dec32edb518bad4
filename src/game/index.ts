// The game: pure state, reducer and geometry. Imports nothing but src/model.
export * from './state.js';
export {reduce, reduceAll, tick} from './reduce.js';
export {animating, nextWakeMs} from './loop.js';
export {computeLayout, defaultMetrics, formationTop, invaderAt, invaderRects, locate, minSky} from './layout.js';
export type {Band, FieldMetrics, Layout, Rect, SpriteMetrics} from './layout.js';
export {displayOrder, rowKeyOf, bareRowKey} from './formation.js';
export type {Formation, FormationRow} from './formation.js';
export {lookOf, looks, phaseWord} from './look.js';
export type {InvaderHealth, Look} from './look.js';
export {formatSummary, sessionTimings, summarize, toReadyMs, toRunningMs} from './summary.js';
export type {GameSummary, SessionTimings} from './summary.js';
export {formatDuration, percentile, spread} from './stats.js';
export type {Spread} from './stats.js';
export {effectDurations, fadeStage, frameMs} from './timing.js';
