/** The daemon's log: one line per event, plain `key=value` text or JSON for log shippers. */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'warn' | 'error';
export type EventFields = Record<string, string | number | boolean | null | undefined>;

export interface EventLog {
  event(level: LogLevel, name: string, fields?: EventFields): void;
}

const needsQuotes = (value: string) => value === '' || /[\s"=]/.test(value);

export function createEventLog(format: LogFormat, write: (line: string) => void = (line) => process.stdout.write(line), now: () => Date = () => new Date()): EventLog {
  return {
    event(level, name, fields = {}) {
      const time = now().toISOString();
      const defined = Object.entries(fields).filter(([, v]) => v !== undefined) as [string, string | number | boolean | null][];
      if (format === 'json') {
        write(JSON.stringify({ time, level, event: name, ...Object.fromEntries(defined) }) + '\n');
        return;
      }
      const pairs = defined.map(([k, v]) => {
        const s = String(v);
        return `${k}=${needsQuotes(s) ? JSON.stringify(s) : s}`;
      });
      write([time, level.toUpperCase().padEnd(5), name, ...pairs].join(' ') + '\n');
    },
  };
}
