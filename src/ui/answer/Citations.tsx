import { useId, useState } from 'preact/hooks';
import type { RetrieverResource } from '../../api/types.ts';
import { fill, type AnswerStrings } from '../../i18n/answer-strings.ts';
import { Svg } from '../icons.tsx';

export interface CitationsProps {
  resources: RetrieverResource[];
  strings: AnswerStrings;
}

export interface CitationGroup {
  key: string;
  name: string;
  segments: RetrieverResource[];
}

/**
 * The knowledge the answer drew on (`retriever_resources`), grouped by document as Dify's UI does:
 * each document with its count of segments opens to the segments, each with its score and a
 * clamped excerpt that can be expanded. Names and excerpts are text only.
 */
export function Citations({ resources, strings }: CitationsProps) {
  const headingId = useId();
  const groups = groupByDocument(resources);
  if (groups.length === 0) return null;
  return (
    <section class="dcb-citations" aria-labelledby={headingId}>
      <p class="dcb-citations-title" id={headingId}>
        {strings.sources}
      </p>
      <ul class="dcb-sources">
        {groups.map((group) => (
          <SourceGroup key={group.key} group={group} strings={strings} />
        ))}
      </ul>
    </section>
  );
}

function SourceGroup({ group, strings }: { group: CitationGroup; strings: AnswerStrings }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const count = group.segments.length;
  return (
    <li class="dcb-source">
      <button type="button" class="dcb-source-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        <DocIcon />
        <span class="dcb-source-name" title={group.name || undefined}>
          {group.name || strings.untitledDocument}
        </span>
        <span class="dcb-source-count">{count === 1 ? strings.segmentOne : fill(strings.segmentMany, { n: count })}</span>
      </button>
      <ol class="dcb-segments" id={listId} hidden={!open}>
        {open &&
          group.segments.map((segment, index) => (
            <Segment key={segment.segment_id ?? segment.id ?? index} segment={segment} strings={strings} />
          ))}
      </ol>
    </li>
  );
}

/** Excerpts longer than this get a Show more button (the clamp is 4 lines of a 384 px bubble). */
const CLAMP_CHARS = 180;

function Segment({ segment, strings }: { segment: RetrieverResource; strings: AnswerStrings }) {
  const [expanded, setExpanded] = useState(false);
  const textId = useId();
  const content = typeof segment.content === 'string' ? segment.content : '';
  const score = formatScore(segment.score);
  const long = content.length > CLAMP_CHARS || content.split('\n').length > 4;
  return (
    <li class="dcb-segment">
      {score && <span class="dcb-score">{fill(strings.score, { score })}</span>}
      {content && (
        <p class={expanded || !long ? 'dcb-snippet' : 'dcb-snippet dcb-clamped'} id={textId}>
          {content}
        </p>
      )}
      {content && long && (
        <button
          type="button"
          class="dcb-link-button"
          aria-expanded={expanded}
          aria-controls={textId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? strings.showLess : strings.showMore}
        </button>
      )}
    </li>
  );
}

/** Group by `document_id` (else the name) in first-seen order; segments keep the server's order. */
export function groupByDocument(resources: RetrieverResource[] | null | undefined): CitationGroup[] {
  const groups = new Map<string, CitationGroup>();
  if (!Array.isArray(resources)) return [];
  resources.forEach((resource, index) => {
    if (!resource || typeof resource !== 'object') return;
    const name = typeof resource.document_name === 'string' ? resource.document_name : '';
    const key =
      typeof resource.document_id === 'string' && resource.document_id
        ? `id:${resource.document_id}`
        : name
          ? `name:${name}`
          : `item:${index}`;
    const group = groups.get(key);
    if (group) group.segments.push(resource);
    else groups.set(key, { key, name, segments: [resource] });
  });
  return [...groups.values()];
}

/** "0.87"; '' for a missing or non-numeric score. */
export function formatScore(score: unknown): string {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(2) : '';
}

function DocIcon() {
  return (
    <Svg class="dcb-source-icon" size={14}>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Z" />
      <path d="M14 3v5h5M9 13h6M9 17h6" />
    </Svg>
  );
}
