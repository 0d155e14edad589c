import { describe, expect, it } from 'vitest';
import { DRAFT_KEY, setup } from './harness.ts';
import { MemoryStorage } from './fake-api.ts';

/** The setters actions.ts owns itself: the draft and the online state. */

describe('draft', () => {
  it('is kept across instances and removed when emptied', () => {
    const storage = new MemoryStorage();
    const first = setup({ storage });
    expect(first.store.draft.value).toBe('');
    first.actions.setDraft('half a thought');
    expect(first.store.draft.value).toBe('half a thought');
    expect(storage.get(DRAFT_KEY)).toBe('half a thought');

    const second = setup({ storage });
    expect(second.store.draft.value).toBe('half a thought');
    second.actions.setDraft('');
    expect(second.store.draft.value).toBe('');
    expect(storage.get(DRAFT_KEY)).toBeNull();

    expect(setup({ storage }).store.draft.value).toBe('');
  });
});

// =============================================================================================

describe('setOffline', () => {
  it('sets the offline flag', () => {
    const h = setup();
    h.actions.setOffline(true);
    expect(h.store.offline.value).toBe(true);
    h.actions.setOffline(false);
    expect(h.store.offline.value).toBe(false);
  });
});
