// With testing-isolation-b.test.ts: two files in parallel on isolated tables (see support/isolation-case.ts).
import { isolationCase } from './support/isolation-case.js';

isolationCase('a');
