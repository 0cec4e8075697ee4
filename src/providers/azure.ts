// The `azure-openai` kind: Azure OpenAI chat completions through the SDK's AzureOpenAI client.
// POST {baseUrl}/openai/deployments/{model}/chat/completions?api-version=…, header `api-key`.
// The chunk handling is the openai kind's (Azure's empty first chunk with prompt_filter_results
// has no choices; content_filter stops map to contentFilter).
import { AzureOpenAI } from 'openai';
import { baseUrlOf } from '../core/profiles';
import { OpenAiChatAdapter } from './openai';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export class AzureOpenAiAdapter extends OpenAiChatAdapter {
  constructor() {
    super((req, fetch) => new AzureOpenAI({
      endpoint: baseUrlOf(req.profile),
      apiKey: req.apiKey || 'no-key',
      apiVersion: req.profile.apiVersion ?? DEFAULT_AZURE_API_VERSION,
      deployment: req.model,
      maxRetries: 0,
      timeout: 24 * 3600_000,
      fetch,
      defaultHeaders: req.profile.headers,
    }));
  }
}
