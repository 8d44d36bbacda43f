import { NetstacksError } from '../core/errors.js';

/** A template (or index) that does not compile: names the file, the line and the problem. */
export class TemplateError extends NetstacksError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super('template-error', `${file}${line === undefined ? '' : `:${line}`}: ${problem}`, {
      exit: 'invalidInput',
      hint: 'fix the template; TextFSM syntax: https://github.com/google/textfsm/wiki/TextFSM',
    });
  }
}

/** An `Error` action fired while parsing: the rule's message and the input line number. */
export class ParseActionError extends NetstacksError {
  constructor(
    readonly file: string,
    readonly ruleLine: number,
    readonly inputLine: number,
    readonly text: string,
    readonly errorMessage: string | undefined,
  ) {
    super(
      'parse-error',
      `${errorMessage ? `Error: ${errorMessage}` : 'State Error raised'} (template ${file}:${ruleLine}, input line ${inputLine}: '${text}')`,
      { exit: 'invalidInput', hint: 'the template rejects this output; check the command and platform' },
    );
  }
}

/** No template knows this platform + command. */
export class NoParserError extends NetstacksError {
  /** fails one device of a fan-out run with this class */
  readonly errorClass = 'no-parser' as const;
  constructor(
    readonly platform: string,
    readonly command: string,
    hint: string,
  ) {
    super('no-parser', `no parser for '${command}' on platform '${platform}'`, { exit: 'notFound', hint });
  }
}
