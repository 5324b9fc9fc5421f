import type { DestinationStream } from 'pino';

/** A pino destination that keeps each line, raw and parsed. */
export function captureLogs(): { destination: DestinationStream; raw: string[]; lines: () => Record<string, any>[] } {
  const raw: string[] = [];
  return {
    destination: { write: (line: string) => void raw.push(line) },
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, any>),
  };
}
