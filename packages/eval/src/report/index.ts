export * from './types.js';
export * from './format.js';
export * from './svg.js';
export * from './html.js';
export * from './markdown.js';
export * from './extend.js';
