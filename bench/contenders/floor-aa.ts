/**
 * A/A control: the floor a second time under another id. Its ratios to the floor are what the
 * run's noise alone produces (same code, same work), the yardstick for reading small differences
 * such as the "within 5% of the raw client" targets.
 */
import { createFloor } from './floor.js';
import type { BenchEnv, Contender } from './types.js';
import type { User, UserKey } from '../model.js';

export default function createFloorAA(env: BenchEnv): Contender<User, UserKey, User> {
  return {
    ...createFloor(env),
    id: 'floor-aa',
    label: 'floor again (A/A control)',
    role: 'control',
    notes: 'Identical to the floor: its ratio to the floor measures the noise of the run.',
  };
}
