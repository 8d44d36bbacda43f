#!/usr/bin/env python3
"""Expected output of the engine unit cases, made by the reference engine (Debian's python3-textfsm).

For every test/fixtures/textfsm/<case>/ with template.textfsm and input.txt, writes expected.json:
{"header": [...], "rows": [[...], ...]} or {"error": {"type": "template"|"parse", "message": "..."}}.

  scripts/gen-textfsm-cases.py           regenerate the files
  scripts/gen-textfsm-cases.py --check   fail (exit 1) when a committed file differs, or when
                                         python3-textfsm is missing (exit 2): never a silent skip
"""
import io
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'textfsm')


def run_case(case_dir):
    import textfsm
    with open(os.path.join(case_dir, 'template.textfsm'), newline=None) as f:
        template = f.read()
    # newline='' keeps \r and the other line breaks: splitting is the engine's job (str.splitlines)
    with open(os.path.join(case_dir, 'input.txt'), encoding='utf-8', newline='') as f:
        text = f.read()
    try:
        fsm = textfsm.TextFSM(io.StringIO(template))
    except textfsm.TextFSMTemplateError as error:
        return {'error': {'type': 'template', 'message': str(error)}}
    try:
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as error:
        return {'header': fsm.header, 'error': {'type': 'parse', 'message': str(error)}}
    return {'header': fsm.header, 'rows': rows}


def main(argv):
    check = '--check' in argv
    try:
        import textfsm  # noqa: F401
    except ImportError:
        sys.stderr.write('python3-textfsm is not installed (apt-get install python3-textfsm): the engine cases cannot be checked\n')
        return 2
    stale = []
    for name in sorted(os.listdir(ROOT)):
        case_dir = os.path.join(ROOT, name)
        if not os.path.isfile(os.path.join(case_dir, 'template.textfsm')):
            continue
        expected = json.dumps(run_case(case_dir), indent=2, ensure_ascii=False) + '\n'
        path = os.path.join(case_dir, 'expected.json')
        current = open(path, encoding='utf-8').read() if os.path.exists(path) else None
        if current == expected:
            continue
        if check:
            stale.append(name)
        else:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(expected)
            print('wrote', path)
    if stale:
        sys.stderr.write('expected.json differs from python3-textfsm for: %s\n' % ', '.join(stale))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
