export * from './detector.js';
export * from './classification-scores.js';
export * from './mcp.js';
export * from './mc-dropout.js';
export * from './confidnet.js';
export * from './odin.js';
