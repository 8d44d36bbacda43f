/**
 * TextFSM for NetStacks: Google's textfsm template language and ntc-templates' clitable index,
 * matching Python's regex semantics. Library API used by `netstacks parse`, `run --parse` and MOP checks.
 */
export { compileTemplate, TextFsmTemplate, VALUE_OPTIONS, type ParsedRecord, type ParsedValue, type NestedMatch, type ValueOption } from './template.js';
export { expandCompletions, loadIndex, loadTemplateFile, matchIndexRow, parseWithTemplates, rowTemplates, type CliIndex, type IndexRow } from './clitable.js';
export {
  builtinTemplatesDir,
  findParser,
  listParsers,
  parseOutput,
  ParseSourceError,
  type FindParserOptions,
  type ParseResult,
  type ParseSettings,
  type Parser,
  type ParserListing,
  type ParserSource,
  type SourceKind,
} from './sources.js';
export { NoParserError, ParseActionError, TemplateError } from './errors.js';
export { splitLines } from './lines.js';
export { translatePythonRegex, RegexTranslationError } from './regex.js';
