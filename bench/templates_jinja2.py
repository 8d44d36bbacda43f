#!/usr/bin/python3
"""The reference side of bench/templates.mjs: Debian's python3-jinja2 with Ansible's ipaddr filter
plugin (ansible.utils, as Ansible's template module loads it) rendering the same job.

usage: templates_jinja2.py DIR TEMPLATE COUNT  -> prints one JSON line {renders_per_s, renders_per_cpu_s, first}"""
import json
import sys
import time

import jinja2
from ansible_collections.ansible.utils.plugins.filter.ipaddr import FilterModule as IpaddrFilters


def contexts(count):
    # the same variables as contexts() in templates.mjs
    for i in range(count):
        sections = []
        for j in range(20):
            sections.append({
                'vlan': 100 + j,
                'name': 'segment-%d-%d' % (j, i % 7),
                'prefix': '10.%d.%d.1/24' % ((i >> 8) & 255, (i + j) & 255),
                'mask': '255.255.255.0',
                'enabled': (i + j) % 5 != 0,
                'helpers': ['192.0.2.%d' % ((i + j) % 250 + 1), '198.51.100.%d' % (j + 1)],
            })
        yield {'hostname': 'r%d' % i, 'sections': sections}


def main():
    folder, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), trim_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(IpaddrFilters().filters())
    template = env.get_template(name)
    data = list(contexts(count))
    first = template.render(data[0])
    start = time.perf_counter()
    cpu_start = time.process_time()
    for context in data:
        template.render(context)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({'renders_per_s': count / elapsed, 'renders_per_cpu_s': count / cpu, 'first': first}))


main()
