import type { Command } from 'commander';

// Placeholder: `device test`, `device trust`, `run`, `config push` come with device sessions.
export function registerSessionCommands(_program: Command, _device: Command): void {}
