// The chunk being recorded, saved every few seconds: a reload then loses seconds, not a minute.
const DB = 'woodshed-draft';
const STORE = 'drafts';

export interface Draft {
  session_id: string;
  index: number;
  pcm: Int16Array;
  /** The end of the previous chunk, which leads this one (absent in drafts saved before leads). */
  lead?: Int16Array;
  saved_at: number;
}

let dbp: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'session_id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  return dbp;
}

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(STORE, mode);
        const r = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(r.result as T);
        tx.onerror = () => reject(tx.error);
      }),
  );
}

export const saveDraft = (d: Draft) => run<void>('readwrite', (s) => s.put(d)).catch(() => undefined);
export const loadDraft = (sessionId: string) => run<Draft | undefined>('readonly', (s) => s.get(sessionId)).catch(() => undefined);
export const deleteDraft = (sessionId: string) => run<void>('readwrite', (s) => s.delete(sessionId)).catch(() => undefined);
