import type { ImagePolicy } from '../../config/types.ts';
import type { AnswerStrings } from '../../i18n/answer-strings.ts';
import { answerImage, safeLinkHref } from '../../markdown/urls.ts';
import type { AnswerFile } from '../../state/answer.ts';
import { Svg } from '../icons.tsx';

export interface AnswerFilesProps {
  files: AnswerFile[];
  /** Ids already shown elsewhere (under an agent step: see `agentStepFileIds`). */
  exclude?: Set<string> | undefined;
  /** Base for relative file URLs: Dify signs them relative to the API origin (docs/PROTOCOL.md §2.10). */
  imageBase: string;
  /** The `images` policy: which image files load by themselves, the others being links; `'all'` when absent. */
  images?: ImagePolicy | undefined;
  strings: AnswerStrings;
}

/**
 * Files of an answer: images inline (as wide as the bubble at most), anything else as a download
 * link named by its file name. URLs pass the markdown allowlist and images the `images` policy,
 * as in the answer's text: an image the policy does not load is a link; a file whose URL fails
 * keeps its name as plain text, so the visitor still learns it existed.
 */
export function AnswerFiles({ files, exclude, imageBase, images, strings }: AnswerFilesProps) {
  const shown = exclude ? files.filter((file) => !exclude.has(file.id)) : files;
  if (shown.length === 0) return null;
  return (
    <ul class="dcb-files" aria-label={strings.files}>
      {shown.map((file) => (
        <li key={file.id} class={isImageFile(file) ? 'dcb-file dcb-file-image' : 'dcb-file'}>
          <FileView file={file} imageBase={imageBase} images={images} strings={strings} />
        </li>
      ))}
    </ul>
  );
}

/** One file: an image, or a download link. Shared with the agent steps. */
export function FileView({
  file,
  imageBase,
  images,
  strings,
  alt,
}: Omit<AnswerFilesProps, 'files' | 'exclude'> & { file: AnswerFile; alt?: string | undefined }) {
  const isImage = isImageFile(file);
  const image = isImage ? answerImage(file.url, imageBase, images) : null;
  if (image?.load) {
    return (
      <img
        class="dcb-answer-image"
        src={image.url}
        alt={alt ?? (file.filename || strings.image)}
        loading="lazy"
        decoding="async"
        referrerpolicy="no-referrer"
      />
    );
  }
  const name = fileName(file) || (isImage ? strings.image : strings.file);
  // An image the policy does not load is a link to it; one with a URL we refuse, only its name.
  const href = isImage ? image?.url : safeLinkHref(file.url, imageBase);
  if (!href) return <span class="dcb-file-name">{name}</span>;
  return (
    <a class="dcb-file-link" href={href} target="_blank" rel="noopener noreferrer">
      <FileIcon />
      <span class="dcb-file-name" title={name}>
        {name}
      </span>
      <span class="dcb-sr-only"> {strings.opensInNewTab}</span>
    </a>
  );
}

export function isImageFile(file: AnswerFile): boolean {
  return file.type === 'image' || (typeof file.mimeType === 'string' && file.mimeType.toLowerCase().startsWith('image/'));
}

/** The file name, or the last segment of the URL's path (signed URLs end in `<id>.<ext>`). */
function fileName(file: AnswerFile): string {
  if (file.filename) return file.filename;
  const path = file.url.split(/[?#]/, 1)[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function FileIcon() {
  return (
    <Svg class="dcb-file-icon" size={16}>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Z" />
      <path d="M14 3v5h5M12 12v6M9 15l3 3 3-3" />
    </Svg>
  );
}
