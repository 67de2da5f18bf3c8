/** Tuning set 4 (scripts/doc-corpus4.ts tuning4), first batch. */
import type { Doc4 } from './doc-corpus4-kit.ts';

export const TUNING4_A: Doc4[] = [];
