/**
 * Decides which rules run in which iteration. The runner asks `shouldSearch` before searching a
 * rule, `admit` after (false drops the matches found), and `canStop` when an iteration changed
 * nothing (false means a banned rule deserves another chance, so the run goes on).
 */
export interface Scheduler {
  shouldSearch(iteration: number, rule: number): boolean;
  admit(iteration: number, rule: number, matchCount: number): boolean;
  canStop(iteration: number): boolean;
}

/** Every rule, every iteration, every match (egg's SimpleScheduler). */
export class SimpleScheduler implements Scheduler {
  shouldSearch(): boolean {
    return true;
  }
  admit(): boolean {
    return true;
  }
  canStop(): boolean {
    return true;
  }
}

/**
 * Bans rules that match too often, for growing spans (egg's BackoffScheduler): a rule whose matches
 * exceed `matchLimit << timesBanned` is banned for `banLength << timesBanned` iterations and its
 * matches are dropped. When everything else is quiet, bans are shortened so the run can finish.
 */
export class BackoffScheduler implements Scheduler {
  private readonly bannedUntil: number[] = [];
  private readonly timesBanned: number[] = [];

  constructor(
    readonly matchLimit = 1000,
    readonly banLength = 5,
  ) {}

  shouldSearch(iteration: number, rule: number): boolean {
    return iteration >= (this.bannedUntil[rule] ?? 0);
  }

  admit(iteration: number, rule: number, matchCount: number): boolean {
    const banned = this.timesBanned[rule] ?? 0;
    if (matchCount <= this.matchLimit * 2 ** banned) return true;
    this.bannedUntil[rule] = iteration + this.banLength * 2 ** banned;
    this.timesBanned[rule] = banned + 1;
    return false;
  }

  canStop(iteration: number): boolean {
    const waiting = this.bannedUntil.filter((until) => until > iteration);
    if (waiting.length === 0) return true;
    // Bring the earliest ban's end to the next iteration, and the others forward by as much.
    const shift = Math.min(...waiting) - (iteration + 1);
    for (let r = 0; r < this.bannedUntil.length; r++) if (this.bannedUntil[r]! > iteration) this.bannedUntil[r]! -= shift;
    return false;
  }
}
