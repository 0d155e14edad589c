import type { App, AppMode } from '../apps.ts';
import { oldestEraFor } from '../eras.ts';

/** What a new app of the console starts with: Dify's defaults for an app nobody has configured yet. */

export function defaultSite(name: string, description: string): Record<string, unknown> {
  return {
    title: name,
    chat_color_theme: null,
    chat_color_theme_inverted: false,
    icon_type: 'emoji',
    icon: '🤖',
    icon_background: '#FFEAD5',
    icon_url: null,
    description: description || null,
    copyright: null,
    privacy_policy: null,
    input_placeholder: null,
    custom_disclaimer: null,
    default_language: 'en-US',
    prompt_public: false,
    show_workflow_steps: true,
    use_icon_as_answer_icon: false,
  };
}

/** `GET /parameters` of an unconfigured app (docs/PROTOCOL.md §2.2), the file-upload default included. */
export function defaultParameters(mode: AppMode): Record<string, unknown> {
  return {
    opening_statement: mode === 'workflow' || mode === 'completion' ? null : '',
    suggested_questions: [],
    suggested_questions_after_answer: { enabled: false },
    speech_to_text: { enabled: false },
    text_to_speech: { enabled: false, voice: '', language: '', autoPlay: 'disabled' },
    retriever_resource: { enabled: false },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    // Completion and workflow apps take their text as an input; a new one starts with `query`.
    user_input_form:
      mode === 'workflow' || mode === 'completion'
        ? [{ paragraph: { label: 'Query', variable: 'query', type: 'paragraph', required: false, max_length: 4000, default: '' } }]
        : [],
    sensitive_word_avoidance: { enabled: false, type: '', configs: [] },
    file_upload: { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } },
    system_parameters: {
      image_file_size_limit: 10,
      video_file_size_limit: 100,
      audio_file_size_limit: 50,
      file_size_limit: 15,
      workflow_file_upload_limit: 10,
    },
  };
}

/**
 * A new app speaks the oldest Dify era its mode exists in (a New Agent app: 1.16), is published (the
 * console has no draft state to model), and has no human-input node.
 */
export function defaultEra(mode: AppMode): Pick<App, 'era' | 'published' | 'human_input'> {
  return { era: oldestEraFor(mode, false), published: true, human_input: false };
}
