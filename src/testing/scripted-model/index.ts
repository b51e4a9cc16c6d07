/** The scripted OpenAI-compatible model server that tests, the demo and benchmarks talk to. */
export { startScriptedModelServer } from './server';
export type { ScriptedModelServer, ScriptedModelServerOptions } from './server';
export { loadScript, parseScript, scriptSchema, ScriptError } from './script';
export type { ExhaustedMode, FailureRule, Latency, Script, ScriptAgent, ScriptInput, ScriptReply } from './script';
export { pickReply, resolveIndex, SELECTOR_AGENT } from './reply-picker';
export type { ReplyChoice, ReplyRequest, Route } from './reply-picker';
export { AGENT_HEADER, RUN_HEADER, TURN_HEADER } from './chat-request';
export type { RequestFilter, ServedRequest } from './request-log';
