export { mulberry32 } from '../../src/random.js';
