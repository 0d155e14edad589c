import type { Strings } from '../i18n/strings.ts';
import type { TurnFailure } from '../state/failure.ts';
import type { Announcement } from '../state/store.ts';

/** A failure in the visitor's language: the store keeps only its kind and details. */
export function failureText(failure: TurnFailure, strings: Strings): string {
  const { kind, serverMessage, duringAnswer } = failure;
  // A connection lost after the server took the question cut the answer off; the visitor need not be offline.
  if (duringAnswer && kind === 'network') return strings.interrupted;
  const { errors } = strings;
  // Invalid input during the answer: the question was sent, the answer failed (e.g. a workflow run).
  const headline = duringAnswer && kind === 'invalid-input' ? strings.answerFailed : (errors[kind] ?? errors.server);
  // The server's own words help where they name what is wrong (a missing input, a model error).
  return (kind === 'invalid-input' || kind === 'model-error') && serverMessage ? `${headline} ${serverMessage}` : headline;
}

/** What a screen reader hears once per settled answer (never per token), or for a refused rating. */
export function announcementText(announcement: Announcement, strings: Strings): string {
  if (!announcement) return '';
  if (announcement === 'feedback-failed') return strings.feedbackFailed;
  const failure = announcement.failure ?? announcement.streamError;
  if (failure) return failureText(failure, strings);
  const { answer } = announcement;
  const text = answer.text
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/[#*_`>|~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const clipped = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return answer.status === 'stopped' ? `${strings.stopped}. ${clipped}` : clipped;
}
