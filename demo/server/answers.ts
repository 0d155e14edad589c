import { randomUUID } from 'node:crypto';
import {
  CJK_ANSWER,
  MODERATED_ORIGINAL,
  citationAnswer,
  defaultAnswer,
  hugeAnswer,
  longAnswer,
  markdownAnswer,
  thinkPrefix,
  XSS_ANSWER,
} from './answer-texts.ts';

/**
 * Keywords in the question (case-insensitive, at a word start) pick the canned answer.
 * The list is documented in demo/README.md; keep the two in step.
 */
export const KEYWORDS = {
  markdown: /\bmarkdown/i,
  cjk: /\b(cjk|emoji)/i,
  long: /\blong\b/i,
  huge: /\bhuge\b/i,
  xss: /\bxss\b/i,
  citations: /\bcitations?\b/i,
  think: /\bthink/i,
  moderation: /\bmoderat/i,
  annotation: /\bannotat/i,
  // agent-chat only
  image: /\b(image|picture|draw)/i,
  // advanced-chat only
  iterate: /\biterat/i,
  fail: /\bfail/i,
  reasoning: /\breason/i,
} as const;

export type Keyword = keyof typeof KEYWORDS;

export function hasKeyword(query: string, keyword: Keyword): boolean {
  return KEYWORDS[keyword].test(query);
}

export interface AnswerPlan {
  /** Full answer text to stream (including a `<think>` block when asked). */
  text: string;
  /** Attach two retriever_resources to message_end. */
  citations: boolean;
  /** Stream the text, then replace it with a `message_replace` (output moderation). */
  moderation: boolean;
  /** Annotation reply: one event per character and `metadata.annotation_reply` (docs/PROTOCOL.md §3.3). */
  annotation: boolean;
}

/** The answer body for a question; `fallback` replaces the default echo (agent and chatflow apps). */
export function planAnswer(query: string, origin: string, fallback?: string): AnswerPlan {
  let body: string;
  if (hasKeyword(query, 'xss')) body = XSS_ANSWER;
  else if (hasKeyword(query, 'markdown')) body = markdownAnswer(origin);
  else if (hasKeyword(query, 'cjk')) body = CJK_ANSWER;
  else if (hasKeyword(query, 'huge')) body = hugeAnswer();
  else if (hasKeyword(query, 'long')) body = longAnswer();
  else if (hasKeyword(query, 'citations')) body = citationAnswer();
  else if (hasKeyword(query, 'moderation')) body = MODERATED_ORIGINAL;
  else body = fallback ?? defaultAnswer(query);
  const think = hasKeyword(query, 'think');
  return {
    text: (think ? thinkPrefix(query) : '') + body,
    citations: hasKeyword(query, 'citations'),
    moderation: hasKeyword(query, 'moderation'),
    annotation: hasKeyword(query, 'annotation'),
  };
}

/** Two retrieval sources in the full RetrievalSourceMetadata shape of message_end (§3.3.1). */
export function retrieverResources(): Record<string, unknown>[] {
  const datasetId = '6a1f0c3e-93f2-4b5e-8d7a-2c4b6e8f0a13';
  const docs = [
    { name: 'refund-policy.md', content: 'Refunds are issued within 14 days after we receive the returned item.', score: 0.92 },
    { name: 'shipping-faq.pdf', content: 'Standard shipping takes 3–5 business days; express shipping takes 1–2.', score: 0.81 },
  ];
  return docs.map((doc, i) => ({
    position: i + 1,
    dataset_id: datasetId,
    dataset_name: 'Acme Handbook',
    document_id: randomUUID(),
    document_name: doc.name,
    data_source_type: 'upload_file',
    segment_id: randomUUID(),
    retriever_from: 'web_app',
    score: doc.score,
    hit_count: 3 + i,
    word_count: doc.content.split(/\s+/).length,
    segment_position: i + 2,
    index_node_hash: randomUUID().replace(/-/g, ''),
    content: doc.content,
    page: null,
    doc_metadata: null,
    title: doc.name,
    files: null,
    summary: null,
  }));
}

/** Follow-up chips for GET /api/messages/<id>/suggested-questions. */
export function suggestedQuestions(query: string): string[] {
  const topic = query.trim().split(/\s+/).slice(0, 4).join(' ');
  return [`Can you tell me more about "${topic}"?`, 'Show me some markdown', 'Answer with citations'];
}

/** A short title for POST /conversations/<id>/name {auto_generate:true}: the first words, capitalised. */
export function autoName(query: string): string {
  const words = query
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5);
  if (words.length === 0) return 'New conversation';
  const name = words.join(' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}
