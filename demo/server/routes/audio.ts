import { featureEnabled } from '../apps.ts';
import { readBody } from '../body.ts';
import { authOf, type RequestContext } from '../context.ts';
import { DifyError, invalidParam } from '../errors.ts';
import { parseJsonBody } from '../http.ts';
import { parseMultipart } from '../multipart.ts';
import { SILENT_MP3 } from '../png.ts';
import { MULTIPART_OVERHEAD } from './files.ts';

const AUDIO_TYPES = ['mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'wav', 'webm', 'amr'].map((t) => `audio/${t}`);
const AUDIO_LIMIT = 30 * 1024 * 1024;
const audioTooLarge = (): DifyError => new DifyError(413, 'audio_too_large', 'Audio size exceeded. Audio size is larger than 30 MB');

/** POST /api/audio-to-text (docs/PROTOCOL.md §2.9): the feature check comes first, as in AudioService. */
export async function audioToText(ctx: RequestContext): Promise<void> {
  const { app } = authOf(ctx);
  if (!featureEnabled(app, 'speech_to_text')) throw invalidParam('Speech to text is not enabled');
  // Held to the limit while it is read (with room for the multipart framing), as uploads are.
  const body = await readBody(ctx.req, ctx.res, {
    max: AUDIO_LIMIT + MULTIPART_OVERHEAD,
    tooLarge: audioTooLarge,
    budget: ctx.state.bodyBudget,
  });
  const file = (parseMultipart(body, ctx.req.headers['content-type']) ?? []).find((p) => p.name === 'file');
  if (!file) throw new DifyError(400, 'no_audio_uploaded', 'Please upload your audio.');
  const type = (file.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!AUDIO_TYPES.includes(type)) throw new DifyError(415, 'unsupported_audio_type', 'Audio type not allowed.');
  if (file.data.length > AUDIO_LIMIT) throw audioTooLarge();
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.end(JSON.stringify({ text: 'This is a mock transcription of your recording.' }));
}

/** POST /api/text-to-audio: audio/mpeg bytes (a few silent frames) when TTS is on. */
export async function textToAudio(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  if (!featureEnabled(app, 'text_to_speech')) throw invalidParam('TTS is not enabled');
  const body = ctx.body.length ? parseJsonBody(ctx.body) : {};
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  let text = typeof b.text === 'string' ? b.text : '';
  if (typeof b.message_id === 'string' && b.message_id) {
    const msg = ctx.state.store.findMessage(b.message_id, app.app_id, endUser.id);
    text = msg?.answer ?? '';
    if (!text) {
      ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
      ctx.res.end('null');
      return;
    }
  }
  if (!text) throw invalidParam('Text is required');
  ctx.res.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Content-Length': String(SILENT_MP3.length) });
  ctx.res.end(SILENT_MP3);
}
