#!/usr/bin/python3
"""Expected outputs of the template engine cases, made by the real engines.

Every folder test/fixtures/templates/cases/<name>/ holds template.j2 (plus any file it includes,
beside it), vars.yaml (read as Ansible reads it: PyYAML, YAML 1.1) and, optionally, a file `envs`
listing the environments to render (default: jinja2 trim ansible). This script writes
expected.<env>.txt for each:

  jinja2   Debian's python3-jinja2: Environment(FileSystemLoader(case), StrictUndefined)
  trim     the same with trim_blocks and lstrip_blocks
  ansible  Debian's ansible: ansible-playbook running ansible.builtin.template on localhost

In jinja2 and trim, Ansible's filter and test plugins (ansible.builtin and ansible.utils) are
registered too, Jinja2's builtins winning on a name clash, as NetStacks does.

    /usr/bin/python3 scripts/gen-template-cases.py            # (re)write every expected file
    /usr/bin/python3 scripts/gen-template-cases.py --check    # exit 1 when any differs
    /usr/bin/python3 scripts/gen-template-cases.py NAME...    # only cases whose name contains NAME

It also writes test/fixtures/templates/whitespace-fuzz.json: 400 seeded random templates of
whitespace-control fragments (`{%-`, `+%}`, comments, raw…) with Jinja2's output under the four
trim_blocks/lstrip_blocks settings.

A missing python3-jinja2, python3-yaml or ansible is an error (exit 2), never a skip.
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "test", "fixtures", "templates", "cases")
ENVS = ("jinja2", "trim", "ansible")

try:
    import jinja2
    import yaml
except ImportError as e:
    sys.stderr.write("gen-template-cases: missing %s (install Debian's python3-jinja2 and python3-yaml)\n" % e)
    sys.exit(2)
if shutil.which("ansible-playbook") is None:
    sys.stderr.write("gen-template-cases: ansible-playbook not found (install Debian's ansible)\n")
    sys.exit(2)


def ansible_plugins():
    """Ansible's filters and tests by short and qualified name (as our engine registers them)."""
    filters, tests = {}, {}
    try:
        from ansible.plugins.filter import core as fcore, mathstuff as fmath, urls as furls, urlsplit as fsplit
        from ansible.plugins.test import core as tcore, mathstuff as tmath, files as tfiles, uri as turi
        from ansible.utils.display import Display
    except ImportError as e:
        sys.stderr.write("gen-template-cases: missing Ansible's plugins (%s)\n" % e)
        sys.exit(2)
    Display.warning = lambda *a, **k: None
    Display.deprecated = lambda *a, **k: None
    for mod in (fcore, fmath, furls, fsplit):
        for name, fn in mod.FilterModule().filters().items():
            filters[name] = fn
            filters["ansible.builtin." + name] = fn
    for mod in (tcore, tmath, tfiles, turi):
        for name, fn in mod.TestModule().tests().items():
            tests[name] = fn
            tests["ansible.builtin." + name] = fn
    try:
        import importlib
        import pkgutil
        import ansible_collections.ansible.utils.plugins.filter as ufilter
        import ansible_collections.ansible.utils.plugins.test as utest
    except ImportError as e:
        sys.stderr.write("gen-template-cases: missing ansible.utils (%s)\n" % e)
        sys.exit(2)
    for pkg, table, attr in ((ufilter, filters, "filters"), (utest, tests, "tests")):
        for info in pkgutil.iter_modules(pkg.__path__):
            try:
                mod = importlib.import_module(pkg.__name__ + "." + info.name)
                cls = getattr(mod, "FilterModule" if attr == "filters" else "TestModule", None)
                if cls is None:
                    continue
                for name, fn in getattr(cls(), attr)().items():
                    short = name.split(".")[-1]
                    table.setdefault(short, fn)
                    table["ansible.utils." + short] = fn
            except Exception:  # a plugin whose optional dependency is missing is left out
                continue
    return filters, tests


def iter_cases(selectors):
    for name in sorted(os.listdir(CASES)):
        case_dir = os.path.join(CASES, name)
        if not os.path.isfile(os.path.join(case_dir, "template.j2")):
            continue
        if selectors and not any(s in name for s in selectors):
            continue
        envs = ENVS
        envs_file = os.path.join(case_dir, "envs")
        if os.path.exists(envs_file):
            with open(envs_file) as handle:
                envs = tuple(handle.read().split())
        yield name, case_dir, envs


def load_vars(case_dir):
    path = os.path.join(case_dir, "vars.yaml")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def render_jinja(case_dir, variables, plugins, **options):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(case_dir), undefined=jinja2.StrictUndefined, **options)
    filters, tests = plugins
    env.filters = {**filters, **env.filters}
    env.tests = {**tests, **env.tests}
    return env.get_template("template.j2").render(copy.deepcopy(variables))


def render_ansible(batch):
    """Renders every (name, case_dir, vars) with one ansible-playbook run per inventory_hostname."""
    results = {}
    work = tempfile.mkdtemp(prefix="gen-template-cases-")
    env = dict(os.environ)
    env.update(
        ANSIBLE_HOME=os.path.join(work, "home"),
        ANSIBLE_LOCAL_TEMP=os.path.join(work, "home", "tmp"),
        ANSIBLE_REMOTE_TEMP=os.path.join(work, "home", "rtmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_DEPRECATION_WARNINGS="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3",
        ANSIBLE_STDOUT_CALLBACK="default",
    )
    by_host = {}
    for name, case_dir, variables in batch:
        variables = dict(variables)
        host = variables.pop("inventory_hostname", "localhost")
        by_host.setdefault(host, []).append((name, case_dir, variables))
    try:
        for index, (host, items) in enumerate(sorted(by_host.items())):
            tasks = []
            for name, case_dir, variables in items:
                tasks.append(
                    {
                        "name": name,
                        "ansible.builtin.template": {"src": os.path.join(case_dir, "template.j2"), "dest": os.path.join(work, name + ".out")},
                        "vars": variables,
                        "ignore_errors": True,
                    }
                )
            playbook = os.path.join(work, "render%d.yml" % index)
            with open(playbook, "w") as handle:
                json.dump([{"hosts": "all", "gather_facts": False, "connection": "local", "tasks": tasks}], handle)
            proc = subprocess.run(["ansible-playbook", "-i", host + ",", playbook], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for name, _, _ in items:
                out = os.path.join(work, name + ".out")
                if os.path.exists(out):
                    with open(out, encoding="utf-8", newline="") as handle:
                        results[name] = handle.read()
                else:
                    results[name] = RuntimeError("ansible failed to render %s:\n%s" % (name, proc.stdout[-2000:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


FUZZ_FILE = os.path.join(ROOT, "test", "fixtures", "templates", "whitespace-fuzz.json")
FUZZ_FRAGMENTS = [
    "\n", "  ", "\t", "x", " y ", "\n\n", "{% if true %}", "{% endif %}", "{%- if true %}", "{% if true -%}", "{%+ if true %}",
    "{% if true +%}", "{{ 1 }}", "{{- 2 }}", "{{ 3 -}}", "{# c #}", "{#- c #}", "{# c -#}", "{% set a = 1 %}", "{%- set b = 2 -%}",
    "{% raw %} r {% endraw %}", "{%- raw -%} r2 {%- endraw -%}", "{% for i in [1,2] %}", "{% endfor %}", "   ", "z\n", "\n   ",
    "{% if false %}no{% endif %}", "{%- if false -%}no{%- endif -%}",
]
FUZZ_OPTIONS = (("ff", {}), ("tt", dict(trim_blocks=True, lstrip_blocks=True)), ("tf", dict(trim_blocks=True)), ("ft", dict(lstrip_blocks=True)))


def whitespace_fuzz():
    """400 seeded random templates of whitespace-control fragments, rendered with the four trim/lstrip settings."""
    import random

    rng = random.Random(7)
    cases = []
    for _ in range(400):
        parts, depth_if, depth_for = [], 0, 0
        for _ in range(rng.randint(3, 14)):
            f = rng.choice(FUZZ_FRAGMENTS)
            if "endif" in f and "if false" not in f:
                if depth_if == 0:
                    continue
                depth_if -= 1
            elif "if true" in f:
                depth_if += 1
            if "endfor" in f:
                if depth_for == 0:
                    continue
                depth_for -= 1
            elif "for i" in f:
                depth_for += 1
            parts.append(f)
        parts += ["{% endif %}"] * depth_if + ["{% endfor %}"] * depth_for
        if rng.random() < 0.5:
            parts.append("\n" * rng.randint(1, 3))
        src = "".join(parts)
        outs = {}
        for name, opts in FUZZ_OPTIONS:
            try:
                outs[name] = jinja2.Environment(**opts).from_string(src).render()
            except jinja2.TemplateSyntaxError:
                outs[name] = None  # mis-nested tags: the engine must reject it too
        cases.append({"template": src, "expected": outs})
    return json.dumps(cases, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    selectors = [a for a in argv if not a.startswith("--")]
    plugins = ansible_plugins()
    rendered = {}
    ansible_batch = []
    cases = list(iter_cases(selectors))
    for name, case_dir, envs in cases:
        variables = load_vars(case_dir)
        for env_name in envs:
            if env_name == "jinja2":
                rendered[(name, env_name)] = render_jinja(case_dir, variables, plugins)
            elif env_name == "trim":
                rendered[(name, env_name)] = render_jinja(case_dir, variables, plugins, trim_blocks=True, lstrip_blocks=True)
            elif env_name == "ansible":
                ansible_batch.append((name, case_dir, variables))
            else:
                raise SystemExit("%s: unknown environment %r in envs" % (name, env_name))
    if ansible_batch:
        for name, text in render_ansible(ansible_batch).items():
            if isinstance(text, Exception):
                raise SystemExit(str(text))
            rendered[(name, "ansible")] = text
    differ = 0
    for (name, env_name), text in sorted(rendered.items()):
        path = os.path.join(CASES, name, "expected.%s.txt" % env_name)
        if check:
            current = None
            if os.path.exists(path):
                with open(path, encoding="utf-8", newline="") as handle:
                    current = handle.read()
            if current != text:
                differ += 1
                print("DIFFER %s [%s]" % (name, env_name))
        else:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    if not selectors:
        text = whitespace_fuzz()
        current = open(FUZZ_FILE, encoding="utf-8").read() if os.path.exists(FUZZ_FILE) else None
        if check and current != text:
            differ += 1
            print("DIFFER whitespace-fuzz.json")
        elif not check:
            with open(FUZZ_FILE, "w", encoding="utf-8") as handle:
                handle.write(text)
    print("%d cases, %d outputs, %d different" % (len(cases), len(rendered), differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
