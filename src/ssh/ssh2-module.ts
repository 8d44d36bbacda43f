type Ssh2 = typeof import('ssh2');

let loaded: Promise<Ssh2> | undefined;

/** ssh2 is loaded on first use only, so commands that never open a session never pay for it. */
export function loadSsh2(): Promise<Ssh2> {
  // ssh2 is CommonJS: `utils` is only reachable through the default export
  loaded ??= import('ssh2').then((m) => (m as unknown as { default: Ssh2 }).default);
  return loaded;
}

export type { Ssh2 };
