import { Box, Text, render, type Instance } from 'ink';
import { formatDuration } from './format.js';
import { CELL_SYMBOLS, visibleRows, type CellState, type DeviceRow, type DeviceState, type MopSnapshot } from './mop-model.js';

/** The ink live view of a MOP run: steps × devices, each device's current step, counts, elapsed. */

const CELL_COLORS: Record<CellState, string> = { pending: 'gray', running: 'cyan', passed: 'green', failed: 'red', error: 'red', skipped: 'yellow' };

const STATE_COLORS: Record<DeviceState, string> = {
  queued: 'gray',
  running: 'cyan',
  rollback: 'magenta',
  passed: 'green',
  failed: 'red',
  'rolled-back': 'yellow',
  'rollback-failed': 'red',
  skipped: 'yellow',
  interrupted: 'yellow',
};

const STATE_WIDTH = 15;

function Cells({ steps, cells, runCells }: { steps: readonly string[]; cells: ReadonlyMap<string, CellState>; runCells: ReadonlyMap<string, CellState> }) {
  return (
    <Text>
      {steps.map((id) => {
        const state = cells.get(id) ?? runCells.get(id) ?? 'pending';
        return (
          <Text key={id} color={CELL_COLORS[state]}>
            {CELL_SYMBOLS[state]}
          </Text>
        );
      })}
    </Text>
  );
}

function Row({ row, snapshot, width, now }: { row: DeviceRow; snapshot: MopSnapshot; width: number; now: number }) {
  const detail =
    row.current !== undefined
      ? `${row.current}${row.attempt ? ` attempt ${row.attempt}` : ''}`
      : row.state === 'queued'
        ? ''
        : (row.message ?? '').split('\n', 1)[0]!;
  const elapsed = row.startedMs !== undefined ? formatDuration((row.endedMs ?? now) - row.startedMs) : '';
  const rollback = row.rollback ? ` ↩${row.rollback.failed > 0 ? '✘' : '✔'}` : '';
  return (
    <Text wrap="truncate-end">
      <Text color={STATE_COLORS[row.state]}>{row.state.padEnd(STATE_WIDTH)}</Text>
      {row.device.padEnd(width)} <Cells steps={snapshot.steps} cells={row.cells} runCells={snapshot.runCells} />
      <Text color="magenta">{rollback}</Text> <Text dimColor>{elapsed.padEnd(9)}</Text> {detail}
    </Text>
  );
}

function MopLiveView({ snapshot, width, maxRows }: { snapshot: MopSnapshot; width: number; maxRows: number }) {
  const c = snapshot.counts;
  const total = snapshot.rows.length;
  const done = total - c.queued - c.running;
  const { shown, hidden } = visibleRows(snapshot.rows, maxRows);
  const now = performance.now();
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>mop {snapshot.title}</Text>
        {snapshot.dryRun ? <Text color="yellow"> (dry run)</Text> : null}
        {snapshot.batch ? <Text> batch {snapshot.batch.index + 1}/{snapshot.batch.total}</Text> : null}  {done}/{total} devices  <Text color="green">passed {c.passed}</Text>
        {'  '}<Text color="red">failed {c.failed}</Text>
        {c.rolledBack > 0 ? <Text color="yellow">  rolled back {c.rolledBack}</Text> : null}
        {c.rollbackFailed > 0 ? <Text color="red">  rollback failed {c.rollbackFailed}</Text> : null}
        {c.skipped > 0 ? <Text color="yellow">  skipped {c.skipped}</Text> : null}
        {'  '}<Text color="cyan">running {c.running}</Text>  queued {c.queued}  {formatDuration(snapshot.elapsedMs)}
      </Text>
      <Text dimColor>
        {''.padEnd(STATE_WIDTH)}
        {''.padEnd(width)} steps: {snapshot.steps.join(' ')}
      </Text>
      {shown.map((row) => (
        <Row key={row.device} row={row} snapshot={snapshot} width={width} now={now} />
      ))}
      {hidden > 0 ? <Text dimColor>… {hidden} more device(s)</Text> : null}
      {snapshot.stopped ? <Text color="yellow">stopped: {snapshot.stopped}</Text> : null}
    </Box>
  );
}

/** Mounts the view; ink and react are loaded only here, and only on a TTY. */
export function mountMopView(
  initial: MopSnapshot,
  width: number,
  stdout: NodeJS.WriteStream = process.stdout,
): { update(snapshot: MopSnapshot): void; stop(): Promise<void> } {
  // the header, the steps line, and a line for "more", within the terminal's height
  const maxRows = Math.max(3, (stdout.rows ?? 30) - 5);
  const instance: Instance = render(<MopLiveView snapshot={initial} width={width} maxRows={maxRows} />, {
    stdout,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 10,
  });
  return {
    update: (snapshot) => instance.rerender(<MopLiveView snapshot={snapshot} width={width} maxRows={maxRows} />),
    stop: async () => {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
