export * from './auth.js';
export * from './clock.js';
export * from './migrations.js';
export * from './room.js';
export * from './seed.js';
export * from './sql.js';
export * from './store.js';
