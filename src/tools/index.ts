export * from './define-tool';
export * from './registry';
export * from './run-tool';
export * from './speaker-functions';
