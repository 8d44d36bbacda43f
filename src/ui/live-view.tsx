import { Box, Text, render, type Instance } from 'ink';
import type { LiveSnapshot, LiveState } from './progress-model.js';
import { formatDuration } from './format.js';

const COLORS: Record<LiveState, string> = { queued: 'gray', running: 'cyan', ok: 'green', failed: 'red', skipped: 'yellow' };

function Row({ state, device, detail, width }: { state: LiveState; device: string; detail: string; width: number }) {
  return (
    <Text wrap="truncate-end">
      <Text color={COLORS[state]}>{state.padEnd(8)}</Text>
      {device.padEnd(width)}  <Text dimColor>{detail}</Text>
    </Text>
  );
}

function LiveView({ snapshot, width }: { snapshot: LiveSnapshot; width: number }) {
  const { counts } = snapshot;
  const done = counts.ok + counts.failed + counts.skipped;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{snapshot.title}</Text> {done}/{snapshot.total} done  <Text color="green">ok {counts.ok}</Text>  <Text color="red">failed {counts.failed}</Text>
        {'  '}<Text color="yellow">skipped {counts.skipped}</Text>  <Text color="cyan">running {counts.running}</Text>  queued {counts.queued}  {formatDuration(snapshot.elapsedMs)}
      </Text>
      {snapshot.finished.map((row) => (
        <Row key={`f-${row.device}`} {...row} width={width} />
      ))}
      {snapshot.running.map((row) => (
        <Row key={`r-${row.device}`} {...row} width={width} />
      ))}
    </Box>
  );
}

/** Mounts the live view on stdout; ink is loaded only here, and only on a TTY. */
export function mountLiveView(
  initial: LiveSnapshot,
  width: number,
  stdout: NodeJS.WriteStream = process.stdout,
): { update(snapshot: LiveSnapshot): void; stop(): Promise<void> } {
  const instance: Instance = render(<LiveView snapshot={initial} width={width} />, { stdout, exitOnCtrlC: false, patchConsole: false, maxFps: 10 });
  return {
    update: (snapshot) => instance.rerender(<LiveView snapshot={snapshot} width={width} />),
    stop: async () => {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
