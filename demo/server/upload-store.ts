import type { UploadedFile } from './context.ts';

/** What stored uploads may add up to before the oldest are forgotten. */
export const DEFAULT_STORED_UPLOAD_BYTES = 256 * 1024 * 1024;

/**
 * The uploaded files, kept in memory for their previews and for chat messages that name them. Each
 * upload is within its app's limit, but a long QA session (or a loop) would keep adding more, so
 * past `capacity` bytes the oldest are dropped: their previews become 404 and a message naming
 * one gets Dify's "Invalid upload file".
 */
export class UploadStore extends Map<string, UploadedFile> {
  private bytes = 0;

  constructor(private readonly capacity: number = DEFAULT_STORED_UPLOAD_BYTES) {
    super();
  }

  override set(id: string, file: UploadedFile): this {
    this.delete(id);
    const size = file.data?.length ?? 0;
    for (const [oldest] of this) {
      if (this.bytes + size <= this.capacity) break;
      this.delete(oldest);
    }
    this.bytes += size;
    return super.set(id, file);
  }

  override delete(id: string): boolean {
    const file = this.get(id);
    if (file) this.bytes -= file.data?.length ?? 0;
    return super.delete(id);
  }

  override clear(): void {
    this.bytes = 0;
    super.clear();
  }

  /** Bytes held by the stored uploads. */
  get storedBytes(): number {
    return this.bytes;
  }
}
