import type { Command } from 'commander';

// Placeholder: filled in by the work on this area.
export function registerInventoryCommands(_program: Command): void {}
