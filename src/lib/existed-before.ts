/**
 * What a create may call its own. A vendor without an idempotency key (m3ter, Rev.io) is searched
 * for "the same object" after a write whose outcome is unknown; a match may be the one the write
 * made, or one that was there all along. Only the first may be adopted: adopting the second would
 * report it as this write's, and a compensation would then delete a link the caller never made.
 *
 * So the ids of the matching objects are read before the write's first attempt (and kept in its
 * idempotency record, for a replay that settles it later), and every adoption goes through
 * `adopt`: an object whose id was there before is never this write's.
 */
export class ExistedBefore {
  private constructor(
    private readonly known: ReadonlySet<string> | undefined,
  ) {}

  /** The ids of the matching objects read before the first attempt. */
  static of(ids: Iterable<string>): ExistedBefore {
    return new ExistedBefore(new Set(ids));
  }

  /**
   * No reading from before the first attempt survives (a record written by an earlier version):
   * nothing found can be proved to be this write's, so nothing is adopted.
   */
  static unproven(): ExistedBefore {
    return new ExistedBefore(undefined);
  }

  /** The ids as a record keeps them; undefined when unproven. */
  get ids(): readonly string[] | undefined {
    return this.known === undefined ? undefined : [...this.known];
  }

  /** Whether `id` was there before the first attempt (always, when unproven). */
  had(id: string): boolean {
    return this.known === undefined || this.known.has(id);
  }

  /**
   * Of the matching objects found after an unknown outcome (newest first), the id of the newest
   * one absent before the first attempt: the one this write made, if any.
   */
  adopt(foundNewestFirst: readonly string[]): string | undefined {
    return foundNewestFirst.find((id) => !this.had(id));
  }
}
