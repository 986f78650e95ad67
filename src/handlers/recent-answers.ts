/** How long what was found on disk is trusted before it is looked at again (an editor keeps running). */
export const TRUSTED_FOR_MS = 1000;

/**
 * Answers about paths (is this directory a project's root, which file is this module), by linted root
 * and path, each trusted for TRUSTED_FOR_MS: a lint asks them about every function and directory of a
 * project for every file, which would otherwise cost file system calls each time.
 */
export class RecentAnswers<T> {
  readonly #byRoot = new Map<string, Map<string, { at: number; answer: T }>>();

  get(root: string, key: string, answer: () => T): T {
    let answers = this.#byRoot.get(root);
    if (!answers) this.#byRoot.set(root, (answers = new Map()));
    const now = Date.now();
    const known = answers.get(key);
    if (known && now - known.at <= TRUSTED_FOR_MS) return known.answer;
    const fresh = answer();
    answers.set(key, { at: now, answer: fresh });
    return fresh;
  }
}
