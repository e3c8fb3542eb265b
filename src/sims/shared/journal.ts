// An append-only JSON-lines file in the simulator's data folder: what it received survives a restart.
import fs from 'node:fs';
import path from 'node:path';

export class Journal<T> {
  private readonly file: string;

  constructor(dataDir: string, name: string) {
    this.file = path.join(dataDir, `${name}.jsonl`);
  }

  /** every entry written so far, oldest first */
  replay(): T[] {
    if (!fs.existsSync(this.file)) return [];
    return fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as T];
        } catch {
          return []; // a torn last line after a kill: what was acknowledged was whole
        }
      });
  }

  append(entry: T): void {
    fs.appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }
}
