export { createProgressReporter, chooseProgressMode, type ProgressReporter, type ProgressOptions, type ProgressMode } from './progress.js';
export { exitCodeFor, formatDuration, formatResultLine, formatSummary } from './format.js';
