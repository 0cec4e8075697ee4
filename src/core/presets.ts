// The ready-made profiles of "Add provider…" (pure data, so a unit test can check that every
// provider kind has one).
import { l10n } from './l10n';
import type { ProviderKind, ProviderProfile } from './types';

export interface Preset {
  label: string;
  detail: string;
  kind: ProviderKind;
  id: string;
  /** Base URL (or, for `sse`, the endpoint URL) offered for editing; undefined: not asked. */
  baseUrl?: string;
  model: string;
  /** What the model field is called for this kind. */
  modelPrompt?: string;
  needsKey: boolean;
  extra?: Partial<ProviderProfile>;
}

/**
 * Ready-made profiles for "Add provider…": the user confirms URL and model, then gives the key.
 * Made on each call, so labels and details are in the display language.
 */
export function presets(): Preset[] {
  return [
    { label: 'OpenAI', detail: 'api.openai.com — Chat Completions', kind: 'openai', id: 'openai', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
    { label: 'OpenAI Responses API', detail: l10n.t('api.openai.com/v1/responses — reasoning summaries'), kind: 'openai-responses', id: 'openai-responses', baseUrl: 'https://api.openai.com/v1', model: 'o4-mini', needsKey: true },
    { label: l10n.t('OpenAI legacy Completions (instruct models)'), detail: l10n.t('api.openai.com/v1/completions — a prompt, not messages'), kind: 'openai-completions', id: 'openai-instruct', baseUrl: 'https://api.openai.com/v1', model: 'gpt-3.5-turbo-instruct', needsKey: true },
    { label: l10n.t('Alibaba DashScope — Qwen (OpenAI-compatible mode)'), detail: 'dashscope.aliyuncs.com/compatible-mode/v1', kind: 'openai', id: 'qwen', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', model: 'qwen-plus', needsKey: true },
    { label: l10n.t('Alibaba DashScope — Qwen (native API)'), detail: l10n.t('dashscope.aliyuncs.com text-generation, incremental output'), kind: 'dashscope', id: 'dashscope', baseUrl: 'https://dashscope.aliyuncs.com', model: 'qwen-plus', needsKey: true },
    { label: 'DeepSeek', detail: 'api.deepseek.com', kind: 'openai', id: 'deepseek', baseUrl: 'https://api.deepseek.com', model: 'deepseek-chat', needsKey: true },
    { label: l10n.t('Baidu ERNIE (wenxinworkshop)'), detail: l10n.t('aip.baidubce.com — API key + secret key'), kind: 'ernie', id: 'ernie', baseUrl: 'https://aip.baidubce.com', model: 'completions_pro', modelPrompt: l10n.t('model endpoint name (completions_pro, ernie-speed-128k, …)'), needsKey: true },
    { label: l10n.t('Baidu Qianfan v2 (ERNIE, OpenAI-compatible)'), detail: 'qianfan.baidubce.com/v2', kind: 'openai', id: 'qianfan', baseUrl: 'https://qianfan.baidubce.com/v2', model: 'ernie-4.0-8k', needsKey: true },
    { label: 'Anthropic (Claude)', detail: 'api.anthropic.com', kind: 'anthropic', id: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', needsKey: true },
    { label: 'Google Gemini', detail: 'generativelanguage.googleapis.com', kind: 'gemini', id: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', model: 'gemini-2.5-flash', needsKey: true },
    { label: 'Azure OpenAI', detail: l10n.t('https://RESOURCE.openai.azure.com — the deployment is the model'), kind: 'azure-openai', id: 'azure', baseUrl: 'https://RESOURCE.openai.azure.com', model: '', modelPrompt: l10n.t('deployment name'), needsKey: true, extra: { apiVersion: '2024-10-21' } },
    { label: l10n.t('Ollama (local, native API)'), detail: l10n.t('{0} — no key', '127.0.0.1:11434'), kind: 'ollama', id: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2', needsKey: false },
    { label: l10n.t('Ollama (local, OpenAI-compatible /v1)'), detail: l10n.t('{0} — no key', '127.0.0.1:11434/v1'), kind: 'openai', id: 'ollama-v1', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', needsKey: false },
    { label: l10n.t('vLLM (local)'), detail: l10n.t('{0} — no key', '127.0.0.1:8000/v1'), kind: 'openai', id: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct', needsKey: false },
    { label: l10n.t('LM Studio (local)'), detail: l10n.t('{0} — no key', '127.0.0.1:1234/v1'), kind: 'openai', id: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1', model: 'local-model', needsKey: false },
    { label: l10n.t('Other OpenAI-compatible server or gateway'), detail: l10n.t('any base URL with the provider\'s prefix, e.g. …/v1'), kind: 'openai', id: 'custom', baseUrl: 'https://', model: '', needsKey: true },
    { label: l10n.t('Custom SSE endpoint'), detail: l10n.t('any server-sent-events service; set body, textPath and doneWhen in settings'), kind: 'sse', id: 'sse', baseUrl: 'http://127.0.0.1:8000/chat/stream', model: 'default', needsKey: false, extra: { textPath: 'text', doneWhen: '[DONE]', body: { messages: '{{messages}}', stream: true } } },
    { label: l10n.t('VS Code language models (e.g. GitHub Copilot)'), detail: l10n.t('no key: uses the models VS Code already has'), kind: 'vscode-lm', id: 'vscode', model: '', needsKey: false },
  ];
}
