export * from './chat-client';
export * from './chat-messages';
export * from './endpoint';
export * from './errors';
export * from './model-calls';
export * from './reply-stream';
