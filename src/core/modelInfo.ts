// What VS Code's language-model list shows for a profile (src/host/lmProvider.ts): its token limits
// where they are known, and a token estimate for `provideTokenCount`. Pure data and arithmetic.
import { l10n } from './l10n';
import { labelOf } from './profiles';
import type { ProviderProfile } from './types';

export interface TokenLimits {
  maxInputTokens: number;
  maxOutputTokens: number;
  /** False when no rule knew the model: the numbers are a cautious default. */
  known: boolean;
}

/** A model name pattern and its limits (input context, longest output), from the providers' documentation. */
const KNOWN: Array<[RegExp, number, number]> = [
  [/^gpt-5/, 272_000, 128_000],
  [/^gpt-4\.1/, 1_047_576, 32_768],
  [/^(chatgpt-4o|gpt-4o)/, 128_000, 16_384],
  [/^gpt-4-turbo|^gpt-4-\d{4}-preview/, 128_000, 4_096],
  [/^gpt-4(-\d+)?$/, 8_192, 8_192],
  [/^gpt-3\.5-turbo-instruct/, 4_096, 4_096],
  [/^gpt-3\.5-turbo/, 16_385, 4_096],
  [/^o[134](-mini|-pro)?\b/, 200_000, 100_000],
  [/^claude-(sonnet-4|haiku-4|3-7-sonnet)/, 200_000, 64_000],
  [/^claude-opus-4/, 200_000, 32_000],
  [/^claude-3-5/, 200_000, 8_192],
  [/^claude/, 200_000, 4_096],
  [/^gemini-(2\.5|3)/, 1_048_576, 65_536],
  [/^gemini/, 1_048_576, 8_192],
  [/^qwen-long/, 10_000_000, 8_192],
  [/^qwen-turbo/, 1_000_000, 8_192],
  [/^qwen-plus/, 131_072, 16_384],
  [/^qwen-max/, 32_768, 8_192],
  [/^qwen3?-coder-plus/, 1_000_000, 65_536],
  [/^(qwen\/)?qwen(2\.5|3)/, 131_072, 8_192],
  [/^deepseek-reasoner/, 128_000, 64_000],
  [/^deepseek/, 128_000, 8_192],
  [/^completions_pro$/, 8_192, 2_048],
  [/^(meta-llama\/)?llama-?3\.[123]/, 131_072, 8_192],
  [/^glm-4/, 128_000, 4_096],
];

const DEFAULT: TokenLimits = { maxInputTokens: 32_768, maxOutputTokens: 4_096, known: false };

/** The largest whole number among the given params (max_tokens and its synonyms), if any. */
function outputCap(params: Record<string, unknown> | undefined): number | undefined {
  if (!params) return undefined;
  for (const k of ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxOutputTokens']) {
    const v = params[k];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  }
  return undefined;
}

/**
 * Token limits for a profile's model: a known model's, a size in its name (`ernie-speed-128k`,
 * `moonshot-v1-32k`), else a cautious default (`known: false`). A `max_tokens` in the profile's
 * `params` is the output limit, since every request carries it.
 */
export function tokenLimits(profile: Pick<ProviderProfile, 'model' | 'params'>): TokenLimits {
  const model = profile.model.trim().toLowerCase();
  const found = KNOWN.find(([re]) => re.test(model));
  let limits: TokenLimits = found ? { maxInputTokens: found[1], maxOutputTokens: found[2], known: true } : DEFAULT;
  if (!found) {
    const size = /(?:^|[-_])(\d{1,4})k(?:$|[-_])/.exec(model);
    if (size) {
      const total = Number(size[1]) * 1024;
      limits = { maxInputTokens: total, maxOutputTokens: Math.min(4_096, Math.floor(total / 2)), known: true };
    }
  }
  const cap = outputCap(profile.params);
  return cap ? { ...limits, maxOutputTokens: cap } : limits;
}

/** Roughly how many tokens a text is: a CJK character about one, other text about four characters a token. */
export function estimateTokens(text: string): number {
  let cjk = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x3000 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || c >= 0x20000) cjk++;
  }
  const rest = [...text].length - cjk;
  return cjk + Math.ceil(rest / 4);
}

/** How a profile appears in VS Code's model list (vendor `askllm`): id = profile id. */
export interface ModelListing {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
}

/**
 * The profiles VS Code lists as models, as it lists them. A `vscode-lm` profile is left out: it
 * is itself a VS Code model, and listing it again would send VS Code's requests round in a loop.
 */
export function modelListings(profiles: readonly ProviderProfile[], where: (p: ProviderProfile) => string): ModelListing[] {
  return profiles.filter((p) => p.kind !== 'vscode-lm').map((p) => {
    const limits = tokenLimits(p);
    return {
      id: p.id,
      name: labelOf(p),
      family: p.model || p.kind,
      version: p.model || p.kind,
      detail: `${p.model} · ${p.kind}`,
      tooltip: limits.known
        ? l10n.t('Ask LLM profile "{0}": {1} at {2}', p.id, p.kind, where(p))
        : l10n.t('Ask LLM profile "{0}": {1} at {2} (token limit not known: a cautious default is shown)', p.id, p.kind, where(p)),
      maxInputTokens: limits.maxInputTokens,
      maxOutputTokens: limits.maxOutputTokens,
    };
  });
}
