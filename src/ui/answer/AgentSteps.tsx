import type { AppMeta } from '../../api/types.ts';
import type { ImagePolicy } from '../../config/types.ts';
import { fill, type AnswerStrings } from '../../i18n/answer-strings.ts';
import { safeImageSrc } from '../../markdown/urls.ts';
import type { AgentThought, AnswerFile } from '../../state/answer.ts';
import { FileView } from './AnswerFiles.tsx';
import { Svg } from '../icons.tsx';

export interface AgentStepsProps {
  thoughts: AgentThought[];
  /** The answer's files; those a step's thought references (`fileIds`) are shown under it. */
  files: AnswerFile[];
  meta: AppMeta | null;
  /** The visitor's locale (`en-US`, `zh-Hans`…), to pick the tool labels. */
  locale: string;
  imageBase: string;
  /** The `images` policy for the files the tools made; `'all'` when absent. */
  images?: ImagePolicy;
  /** True while the answer streams: a step without an observation is then still running. */
  running: boolean;
  strings: AnswerStrings;
}

/**
 * The agent's tool calls, one step per round that used a tool (rounds without a tool carry the
 * answer text, shown by the markdown body). Tool names, labels, inputs and observations come from
 * the server and the model: they reach the DOM only as text; icon URLs pass the image allowlist.
 */
export function AgentSteps({ thoughts, files, meta, locale, imageBase, images, running, strings }: AgentStepsProps) {
  const steps = thoughts.filter(isToolStep);
  if (steps.length === 0) return null;
  return (
    <ol class="dcb-agent-steps" aria-label={strings.toolCalls}>
      {steps.map((step) => {
        const tools = toolNames(step.tool);
        const busy = running && !step.observation;
        const stepFiles = step.fileIds.length ? files.filter((file) => step.fileIds.includes(file.id)) : [];
        // Dify does not say which of a round's tools made a file, so name them all rather than guess.
        const madeBy = tools.map((tool) => toolLabel(step.toolLabels, tool, locale)).join(', ');
        return (
          <li key={step.id} class="dcb-agent-step" data-state={busy ? 'running' : 'done'}>
            {tools.map((tool, index) => (
              <ToolCall
                key={`${index}:${tool}`}
                tool={tool}
                label={toolLabel(step.toolLabels, tool, locale)}
                icon={toolIcon(meta, tool, imageBase)}
                input={toolPart(step.toolInput, tool, index, tools.length)}
                output={toolPart(step.observation, tool, index, tools.length)}
                busy={busy}
                strings={strings}
              />
            ))}
            {stepFiles.length > 0 && (
              <ul class="dcb-step-files">
                {stepFiles.map((file) => (
                  <li key={file.id} class="dcb-file">
                    <FileView
                      file={file}
                      imageBase={imageBase}
                      images={images}
                      strings={strings}
                      alt={fill(strings.toolImageAlt, { tool: madeBy })}
                    />
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Ids of the files {@link AgentSteps} shows under a step — pass them to `AnswerFiles` as `exclude`. */
export function agentStepFileIds(thoughts: AgentThought[]): Set<string> {
  const ids = new Set<string>();
  for (const thought of thoughts) if (isToolStep(thought)) for (const id of thought.fileIds) ids.add(id);
  return ids;
}

type Icon = { kind: 'img'; src: string } | { kind: 'emoji'; content: string; background: string | null } | null;

function ToolCall(props: {
  tool: string;
  label: string;
  icon: Icon;
  input: string;
  output: string;
  busy: boolean;
  strings: AnswerStrings;
}) {
  const { label, icon, input, output, busy, strings } = props;
  return (
    <details class="dcb-tool">
      <summary class="dcb-tool-summary">
        <ToolIcon icon={icon} />
        {busy ? <span class="dcb-spinner" aria-hidden="true" /> : <CheckIcon />}
        <span class="dcb-tool-title" title={label}>
          {fill(busy ? strings.toolUsing : strings.toolUsed, { tool: label })}
        </span>
      </summary>
      <div class="dcb-tool-body">
        {input && (
          <div class="dcb-tool-section">
            <p class="dcb-tool-heading">{strings.toolInput}</p>
            <pre class="dcb-tool-pre">{input}</pre>
          </div>
        )}
        {output && (
          <div class="dcb-tool-section">
            <p class="dcb-tool-heading">{strings.toolOutput}</p>
            <pre class="dcb-tool-pre">{output}</pre>
          </div>
        )}
      </div>
    </details>
  );
}

function ToolIcon({ icon }: { icon: Icon }) {
  if (!icon) return null;
  if (icon.kind === 'img') {
    return (
      <img
        class="dcb-tool-icon"
        src={icon.src}
        alt=""
        width={16}
        height={16}
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
      />
    );
  }
  return (
    <span class="dcb-tool-icon dcb-tool-emoji" style={icon.background ? { background: icon.background } : undefined} aria-hidden="true">
      {icon.content}
    </span>
  );
}

function CheckIcon() {
  return (
    <Svg class="dcb-step-check" size={14}>
      <path d="M20 6 9 17l-5-5" />
    </Svg>
  );
}

function isToolStep(thought: AgentThought): boolean {
  return toolNames(thought.tool).length > 0;
}

function toolNames(tool: string): string[] {
  return typeof tool === 'string'
    ? tool
        .split(';')
        .map((name) => name.trim())
        .filter(Boolean)
    : [];
}

/**
 * The tool's label in the visitor's language. Dify keys labels by `en_US`, `zh_Hans`, `ja_JP`…:
 * try the locale as such (`zh-Hans` → `zh_Hans`, any case), then Chinese script aliases, then any
 * label of the same language, then `en_US`, then the tool's name.
 */
export function toolLabel(labels: Record<string, Record<string, string>> | null | undefined, tool: string, locale: string): string {
  const byLang = labels && typeof labels === 'object' && Object.hasOwn(labels, tool) ? labels[tool] : undefined;
  if (typeof byLang === 'string') return (byLang as string).trim() || tool;
  if (!byLang || typeof byLang !== 'object') return tool;
  const entries = Object.entries(byLang).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
  );
  const find = (key: string) => entries.find(([labelKey]) => labelKey.toLowerCase() === key.toLowerCase())?.[1];
  const wanted = (locale || '').replace(/-/g, '_');
  const lang = wanted.split('_')[0]?.toLowerCase() ?? '';
  const alias = lang === 'zh' ? (/_(tw|hk|mo|hant)$/i.test(wanted) ? 'zh_Hant' : 'zh_Hans') : '';
  return (
    (wanted && find(wanted)) ||
    (alias && find(alias)) ||
    (lang && entries.find(([labelKey]) => labelKey.toLowerCase().split('_')[0] === lang)?.[1]) ||
    find('en_US') ||
    tool
  );
}

const HEX_COLOUR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** `meta.tool_icons[tool]`: a URL (allowlisted like any image) or an emoji on a hex background. */
export function toolIcon(meta: AppMeta | null, tool: string, imageBase: string): Icon {
  const icons = meta && typeof meta === 'object' ? meta.tool_icons : null;
  if (!icons || typeof icons !== 'object' || !Object.hasOwn(icons, tool)) return null;
  const icon: unknown = icons[tool];
  if (typeof icon === 'string') {
    const src = safeImageSrc(icon, imageBase);
    return src ? { kind: 'img', src } : null;
  }
  if (icon && typeof icon === 'object') {
    const { content, background } = icon as { content?: unknown; background?: unknown };
    if (typeof content !== 'string' || content === '') return null;
    return {
      kind: 'emoji',
      content: Array.from(content).slice(0, 8).join(''),
      background: typeof background === 'string' && HEX_COLOUR.test(background) ? background : null,
    };
  }
  return null;
}

/**
 * The input or observation to show for one tool of a step. Both are JSON `{tool: value}`; with
 * several tools each shows its own part (Dify also accepts an array, one entry per tool). Pretty
 * printed when it parses, else the raw text.
 */
export function toolPart(raw: string, tool: string, index: number, count: number): string {
  if (typeof raw !== 'string' || raw === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (count > 1) {
    if (Array.isArray(value) && index < value.length) value = value[index];
    else if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, tool)) {
      value = { [tool]: (value as Record<string, unknown>)[tool] };
    }
  }
  return JSON.stringify(value, null, 2) ?? raw;
}
