// dynamorm-studio: an admin web UI that knows the models. `dynamorm studio` starts it; tests and
// tools start it with startStudio.
export { startStudio } from './server/start.js';
export type { Studio, StudioOptions } from './server/start.js';
export type { RunCost } from './server/run-cost.js';
