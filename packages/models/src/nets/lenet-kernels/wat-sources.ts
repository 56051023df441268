/**
 * Every WebAssembly text kernel of @rdl/models by the name it is instantiated under, so a browser
 * build can assemble them ahead of time (a page has no wabt; see @rdl/runtime's browser entry).
 */
import { ADAM_WAT } from '../../training/adam-wat.js';
import { FIRST_BLOCK_WAT } from './first-block-wat.js';
import { MC_HEAD_WAT } from './mc-head-wat.js';
import { SECOND_BLOCK_WAT } from './second-block-wat.js';

export const MODEL_WAT_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  'lenet-first-block': FIRST_BLOCK_WAT,
  'lenet-second-block': SECOND_BLOCK_WAT,
  'mc-head': MC_HEAD_WAT,
  adam: ADAM_WAT,
});
