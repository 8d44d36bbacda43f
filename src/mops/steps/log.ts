import { z } from 'zod';
import { defineStep } from './types.js';

/** `log`: a message (templated by the engine) into the execution record; it always passes. */
export const logStep = defineStep({
  name: 'log',
  description: 'write a message into the execution record',
  scope: 'any',
  readOnly: true,
  params: z
    .object({
      message: z.unknown().refine((value) => value !== undefined && value !== null, 'a log step needs a message').describe('the text (templated) written into the execution record'),
      level: z.enum(['info', 'warning', 'error']).default('info').describe('how the line is marked'),
    })
    .strict(),
  async run(params, ctx) {
    const text = typeof params.message === 'string' ? params.message : JSON.stringify(params.message);
    const line = params.level === 'info' ? text : `${params.level}: ${text}`;
    // ctx.log puts the line in the record's output (and on the live display): returning it as the
    // outcome's output as well would record it twice
    ctx.log(line);
    return { status: 'passed', message: line, data: { level: params.level } };
  },
});
