import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { newSecret } from './passport.ts';
import type { Conversation, EndUser, MessageRecord } from './records.ts';

/** End users, conversations and messages, in memory and optionally mirrored to a JSON file. */

export type { AgentThoughtRecord, Conversation, EndUser, MessageFileRecord, MessageRecord } from './records.ts';

interface Snapshot {
  version: 1;
  secret: string;
  endUsers: EndUser[];
  conversations: Conversation[];
  messages: MessageRecord[];
}

export type SortBy = 'created_at' | '-created_at' | 'updated_at' | '-updated_at';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export class Store {
  secret = newSecret();
  private endUsers = new Map<string, EndUser>();
  private conversations = new Map<string, Conversation>();
  private messages = new Map<string, MessageRecord>();
  private seq = 0;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly dataFile: string | null) {
    if (dataFile && existsSync(dataFile)) this.load(dataFile);
  }

  private load(file: string): void {
    try {
      const snap = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
      if (typeof snap.secret === 'string' && snap.secret) this.secret = snap.secret;
      for (const u of snap.endUsers ?? []) this.endUsers.set(u.id, u);
      for (const c of snap.conversations ?? []) this.conversations.set(c.id, c);
      for (const m of snap.messages ?? []) this.messages.set(m.id, m);
      for (const c of this.conversations.values()) this.seq = Math.max(this.seq, c.created_seq, c.updated_seq);
      for (const m of this.messages.values()) this.seq = Math.max(this.seq, m.created_seq);
    } catch (err) {
      console.warn(`[mock] ignoring unreadable data file ${file}: ${(err as Error).message}`);
    }
  }

  /** Writes soon (coalescing bursts of token-level updates into one write). */
  private changed(): void {
    if (!this.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      // A failed write (disk full, a value JSON cannot hold) must not take the server down with it.
      try {
        this.flush();
      } catch (err) {
        console.warn(`[mock] could not save ${this.dataFile}: ${(err as Error).message}`);
      }
    }, 150);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.dataFile) return;
    const snap: Snapshot = {
      version: 1,
      secret: this.secret,
      endUsers: [...this.endUsers.values()],
      conversations: [...this.conversations.values()],
      messages: [...this.messages.values()],
    };
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const tmp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snap, null, 1));
    renameSync(tmp, this.dataFile);
  }

  rotateSecret(): void {
    this.secret = newSecret();
    this.changed();
  }

  /** Keeps end users and the secret, so passports held by open browsers stay valid. */
  clearConversations(): void {
    this.conversations.clear();
    this.messages.clear();
    this.changed();
  }

  // ---- end users ----------------------------------------------------------------------------

  /** docs/PROTOCOL.md §1.2: find by (app, session_id) or create; no user_id → always a new anonymous user. */
  findOrCreateEndUser(appId: string, sessionId: string | null): EndUser {
    if (sessionId !== null) {
      for (const u of this.endUsers.values()) {
        if (u.app_id === appId && u.session_id === sessionId) return u;
      }
    }
    const user: EndUser = {
      id: randomUUID(),
      app_id: appId,
      session_id: sessionId ?? randomUUID(),
      type: 'browser',
      is_anonymous: true,
      created_at: nowSeconds(),
    };
    this.endUsers.set(user.id, user);
    this.changed();
    return user;
  }

  getEndUser(id: string): EndUser | undefined {
    return this.endUsers.get(id);
  }

  // ---- conversations ------------------------------------------------------------------------

  createConversation(init: Pick<Conversation, 'app_id' | 'end_user_id' | 'name' | 'inputs' | 'introduction'>): Conversation {
    const now = nowSeconds();
    const seq = ++this.seq;
    const conv: Conversation = {
      id: randomUUID(),
      ...init,
      status: 'normal',
      created_at: now,
      updated_at: now,
      pinned: false,
      created_seq: seq,
      updated_seq: seq,
    };
    this.conversations.set(conv.id, conv);
    this.changed();
    return conv;
  }

  /** The conversation if it belongs to this app and end user (others' ids look unknown, as in Dify). */
  findConversation(id: string, appId: string, endUserId: string): Conversation | undefined {
    const conv = this.conversations.get(id);
    return conv && conv.app_id === appId && conv.end_user_id === endUserId ? conv : undefined;
  }

  touchConversation(conv: Conversation): void {
    conv.updated_at = nowSeconds();
    conv.updated_seq = ++this.seq;
    this.changed();
  }

  updateConversation(conv: Conversation, patch: Partial<Pick<Conversation, 'name' | 'pinned'>>): void {
    Object.assign(conv, patch);
    this.changed();
  }

  deleteConversation(conv: Conversation): void {
    this.conversations.delete(conv.id);
    for (const m of [...this.messages.values()]) if (m.conversation_id === conv.id) this.messages.delete(m.id);
    this.changed();
  }

  listConversations(
    appId: string,
    endUserId: string,
    opts: { limit: number; lastId: string | null; pinned: boolean | null; sortBy: SortBy },
  ): { data: Conversation[]; hasMore: boolean } | 'last-not-found' {
    const field = opts.sortBy.replace('-', '') as 'created_at' | 'updated_at';
    const seqField = field === 'created_at' ? 'created_seq' : 'updated_seq';
    const dir = opts.sortBy.startsWith('-') ? -1 : 1;
    const compare = (a: Conversation, b: Conversation): number => dir * (a[field] - b[field] || a[seqField] - b[seqField]);
    let list = [...this.conversations.values()].filter((c) => c.app_id === appId && c.end_user_id === endUserId);
    if (opts.pinned !== null) list = list.filter((c) => c.pinned === opts.pinned);
    list.sort(compare);
    if (opts.lastId) {
      const last = this.findConversation(opts.lastId, appId, endUserId);
      if (!last) return 'last-not-found';
      list = list.filter((c) => compare(c, last) > 0);
    }
    return { data: list.slice(0, opts.limit), hasMore: list.length > opts.limit };
  }

  // ---- messages -----------------------------------------------------------------------------

  createMessage(init: Omit<MessageRecord, 'id' | 'created_seq'> & { id?: string }): MessageRecord {
    const msg: MessageRecord = { ...init, id: init.id ?? randomUUID(), created_seq: ++this.seq };
    this.messages.set(msg.id, msg);
    this.changed();
    return msg;
  }

  /** Call after mutating a message record in place. */
  saveMessage(_msg: MessageRecord): void {
    this.changed();
  }

  findMessage(id: string, appId: string, endUserId: string): MessageRecord | undefined {
    const msg = this.messages.get(id);
    return msg && msg.app_id === appId && msg.end_user_id === endUserId ? msg : undefined;
  }

  conversationMessages(conversationId: string): MessageRecord[] {
    return [...this.messages.values()]
      .filter((m) => m.conversation_id === conversationId)
      .sort((a, b) => a.created_at - b.created_at || a.created_seq - b.created_seq);
  }

  /** docs/PROTOCOL.md §2.7: the newest `limit` messages before `firstId`, in ascending order. */
  listMessages(
    conversationId: string,
    opts: { limit: number; firstId: string | null },
  ): { data: MessageRecord[]; hasMore: boolean } | 'first-not-found' {
    let list = this.conversationMessages(conversationId);
    if (opts.firstId) {
      const index = list.findIndex((m) => m.id === opts.firstId);
      if (index < 0) return 'first-not-found';
      list = list.slice(0, index);
    }
    const page = list.slice(Math.max(0, list.length - opts.limit));
    return { data: page, hasMore: list.length > page.length };
  }

  counts(): { endUsers: number; conversations: number; messages: number } {
    return { endUsers: this.endUsers.size, conversations: this.conversations.size, messages: this.messages.size };
  }
}
