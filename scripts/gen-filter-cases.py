#!/usr/bin/python3
"""Expected results for the template filter tests, computed by Ansible's own filter and test plugins.

Runs Debian's ansible (ansible-core 2.14, ansible.utils) with python3-netaddr, python3-yaml,
python3-jmespath and python3-passlib, calling each plugin function directly on the inputs
listed below, and writes test/fixtures/templates/filters/<suite>.json.

    /usr/bin/python3 scripts/gen-filter-cases.py           # write the fixtures
    /usr/bin/python3 scripts/gen-filter-cases.py --check   # fail if any fixture differs (or a package is missing)

Every case is {"call": name, "args": [...], "kwargs": {...}} plus "result" or "error".
Python ints beyond 2**53 are written as {"$int": "digits"}, tuples as lists.
"""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "templates", "filters")

try:
    import netaddr  # noqa: F401
    import yaml  # noqa: F401
    import jmespath  # noqa: F401
    import passlib  # noqa: F401
    from ansible.plugins.filter import core as fcore
    from ansible.plugins.filter import mathstuff as fmath
    from ansible.plugins.filter import urls as furls  # noqa: F401
    from ansible.plugins.test import core as tcore
    from ansible.plugins.test import mathstuff as tmath
    from ansible_collections.ansible.utils.plugins.filter import (
        cidr_merge, ip4_hex, ipaddr, ipmath, ipsubnet, ipv4, ipv6, ipwrap, network_in_network,
        network_in_usable, next_nth_usable, nthhost, previous_nth_usable, hwaddr, macaddr, reduce_on_network, slaac,
    )
    from ansible_collections.ansible.utils.plugins.test import (
        in_any_network, in_network, in_one_network, ip as t_ip, ip_address, ipv4 as t_ipv4,
        ipv4_address, ipv6 as t_ipv6, ipv6_address, private as t_private, public as t_public,
        loopback as t_loopback, multicast as t_multicast, subnet_of, supernet_of,
    )
    from ansible.utils.display import Display
except ImportError as e:  # the check must fail, not skip, when the real engines are missing
    sys.stderr.write("gen-filter-cases: missing Python package: %s (install Debian's ansible, python3-netaddr, python3-yaml, python3-jmespath, python3-passlib)\n" % e)
    sys.exit(2)

Display.warning = lambda *a, **k: None
Display.deprecated = lambda *a, **k: None


def plugin(module, name):
    f = module.FilterModule().filters()[name]
    return lambda *a, **k: f(None, *a, **k)


def test_plugin(module, name):
    return module.TestModule().tests()[name]


def encode(v):
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return {"$float": repr(v)}
    if isinstance(v, float) and v.is_integer():
        return {"$float": v}
    if isinstance(v, bool) or v is None or isinstance(v, float) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) <= 2 ** 53 else {"$int": str(v)}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {str(k): encode(x) for k, x in v.items()}
    return {"$repr": repr(v)}


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if "$float" in v:
            return float(v["$float"])  # also 'inf', '-inf', 'nan
        return {k: decode(x) for k, x in v.items()}
    return v


def run(fn, args, kwargs):
    args = decode(args)
    kwargs = decode(kwargs)
    try:
        return {"result": encode(fn(*args, **kwargs))}
    except Exception as e:  # the TS side must fail too
        return {"error": "%s: %s" % (type(e).__name__, e)}


# ---------------------------------------------------------------- ip suite

IP_VALUES = [
    "192.168.1.5", "192.168.1.5/24", "192.168.1.0/24", "192.168.1.255/24", "192.168.1.1/30",
    "10.0.0.0/31", "10.0.0.1/31", "10.0.0.1/32", "10.0.0.1", "0.0.0.0/0", "0.0.0.0", "127.0.0.1/8",
    "169.254.3.4", "224.0.0.5", "224.0.0.0/4", "8.8.8.8", "8.8.8.0/24", "100.64.1.1/10", "255.255.255.0",
    "0.0.0.255", "10.1/16", "10.0.0.1/255.255.255.0", "10.0.0.1/0.0.0.255", 167772161, "167772161",
    "167772160/8", "4294967296/64", "239.1.1.1", "172.16.5.4/12", "255.255.255.255", "192.88.99.1",
    "foo", "", "300.1.1.1", "10.0.0.1/33", "010.0.0.1", "1.2.3", 0, True, False,
    "2001:db8::1", "2001:db8::1/64", "2001:db8::/64", "2001:db8::/127", "2001:db8::1/127", "2001:db8::/128",
    "2001:db8::5/126", "::1", "::", "::/0", "fe80::1/64", "fe80::1", "ff02::1", "ff00::/8", "::ffff:192.168.1.1",
    "::ffff:10.0.0.1/120", "::10.0.0.1", "2002:c0a8:101::1/48", "2002:c0a8:101::/48", "fd00::5/8", "fc00::/7",
    "2001:db8:0:0:1:0:0:1", "::1:2", "2001:DB8::A/64", "2001:db8::1/ffff:ffff::", "fe80::1%eth0", "2001:db8::g",
    ["192.168.1.5", "10.0.0.0/8", "foo", "2001:db8::1", "", 42],
]

IP_QUERIES = [
    "", "6to4", "address", "address/prefix", "bool", "broadcast", "cidr", "first_usable", "gateway", "host",
    "host/prefix", "hostmask", "hostnet", "int", "ip", "ip/prefix", "ip_netmask", "ipv4", "ipv6", "last_usable",
    "link-local", "lo", "loopback", "multicast", "net", "next_usable", "netmask", "network", "network_id",
    "network/prefix", "network_netmask", "network_wildcard", "peer", "prefix", "previous_usable", "private",
    "public", "range_usable", "revdns", "router", "size", "size_usable", "subnet", "type", "unicast", "v4", "v6",
    "version", "wildcard", "wrap", "0", "1", "5", "-1", "-2", "254", "300", "1.5", 5, -1,
    "10.0.0.0/8", "192.168.0.0/16", "192.168.1.5", "2001:db8::/32", "fe80::/10", "0.0.0.0/0", "nonsense",
]


def random_ip_values():
    """Seeded random networks and addresses (the same on every run)."""
    import random
    rnd = random.Random(20240601)
    out = []
    for _ in range(40):
        v = rnd.getrandbits(32)
        p = rnd.choice([0, 1, 8, 16, 23, 24, 25, 29, 30, 31, 32, rnd.randint(0, 32)])
        text = "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)
        out.append(text + ("/%d" % p if rnd.random() < 0.8 else ""))
    for _ in range(40):
        words = [rnd.choice([0, 0, 0, rnd.getrandbits(16), 0xffff]) for _ in range(8)]
        if rnd.random() < 0.3:
            words[:6] = [0, 0, 0, 0, 0, rnd.choice([0, 0xffff])]
        text = str(netaddr.IPAddress(sum(w << (16 * (7 - i)) for i, w in enumerate(words)), 6))
        p = rnd.choice([0, 1, 32, 48, 56, 63, 64, 96, 112, 120, 126, 127, 128, rnd.randint(0, 128)])
        out.append(text + ("/%d" % p if rnd.random() < 0.8 else ""))
    return out


RANDOM_DOCS = 40

RANDOM_QUERIES = [
    "", "address", "network", "netmask", "hostmask", "prefix", "broadcast", "host", "host/prefix", "network/prefix",
    "net", "subnet", "size", "size_usable", "public", "private", "unicast", "multicast", "loopback", "link-local",
    "revdns", "wrap", "int", "cidr", "type", "ipv4", "ipv6", "ip/prefix", "ip_netmask", "network_netmask",
    "network_wildcard", "range_usable", "next_usable", "previous_usable", "first_usable", "last_usable", "peer",
    "6to4", "0", "1", "-1", "3", "10.0.0.0/8", "2001:db8::/32",
]


def ip_suite():
    cases = []
    f_ipaddr = plugin(ipaddr, "ipaddr")
    for value in random_ip_values():
        for query in RANDOM_QUERIES:
            cases.append(dict(call="ipaddr", args=[value, query], **run(f_ipaddr, [value, query], {})))
    for value in IP_VALUES:
        for query in IP_QUERIES:
            cases.append(dict(call="ipaddr", args=[value, query], **run(f_ipaddr, [value, query], {})))
    f4, f6 = plugin(ipv4, "ipv4"), plugin(ipv6, "ipv6")
    for value in IP_VALUES:
        for query in ["", "address", "network", "prefix", "ipv4", "ipv6", "10.0.0.0/8", "2001:db8::/32", "int", "1"]:
            cases.append(dict(call="ipv4", args=[value, query], **run(f4, [value, query], {})))
            cases.append(dict(call="ipv6", args=[value, query], **run(f6, [value, query], {})))
    fw = plugin(ipwrap, "ipwrap")
    for value in IP_VALUES + [["2001:db8::1", "10.0.0.1", "foo", "2001:db8::/64"]]:
        cases.append(dict(call="ipwrap", args=[value], **run(fw, [value], {})))
    nets = ["192.168.1.0/24", "192.168.1.5/24", "10.0.0.0/31", "10.0.0.1/32", "10.0.0.1", "2001:db8::/64",
            "2001:db8::/127", "2001:db8::1/128", "foo", "0.0.0.0/0"]
    fn = plugin(nthhost, "nthhost")
    for value in nets:
        for q in [0, "0", 1, 5, "5", -1, "-1", 2, 255, 256, 300, "x", ""]:
            cases.append(dict(call="nthhost", args=[value, q], **run(fn, [value, q], {})))
    fnext, fprev = plugin(next_nth_usable, "next_nth_usable"), plugin(previous_nth_usable, "previous_nth_usable")
    for value in nets + ["192.168.1.254/24", "192.168.1.1/24", "10.0.0.1/31"]:
        for off in [0, 1, 2, 5, 253, 254, 300, "3"]:
            cases.append(dict(call="next_nth_usable", args=[value, off], **run(fnext, [value, off], {})))
            cases.append(dict(call="previous_nth_usable", args=[value, off], **run(fprev, [value, off], {})))
    fm = plugin(ipmath, "ipmath")
    for value in ["192.168.1.5", "192.168.1.5/24", "2001:db8::1", "2001:db8::1/64", "255.255.255.255", "0.0.0.0", "foo", "::ffff:1.2.3.4"]:
        for amount in [0, 1, -1, 5, -10, 256, 65536, 2 ** 33, "3", "x"]:
            cases.append(dict(call="ipmath", args=[value, amount], **run(fm, [value, amount], {})))
    fs = plugin(ipsubnet, "ipsubnet")
    for value in ["192.168.1.0/24", "192.168.1.5/24", "192.168.1.5", "10.0.0.0/8", "2001:db8::/32", "2001:db8::5", "foo"]:
        cases.append(dict(call="ipsubnet", args=[value], **run(fs, [value], {})))
        for q in ["24", "25", "26", "20", "8", "32", "33", "64", "48", "192.168.0.0/16", "192.168.1.0/24", "10.0.0.0/8", "2001:db8::/32"]:
            cases.append(dict(call="ipsubnet", args=[value, q], **run(fs, [value, q], {})))
            for idx in [0, 1, 2, 3, -1, -2, 255, 256]:
                if q.isdigit():
                    cases.append(dict(call="ipsubnet", args=[value, q, idx], **run(fs, [value, q, idx], {})))
    fu, fnn = plugin(network_in_usable, "network_in_usable"), plugin(network_in_network, "network_in_network")
    for value in ["192.168.0.0/24", "192.168.0.0/30", "192.168.0.0/31", "192.168.0.1/32", "2001:db8::/64", "2001:db8::/127"]:
        for test in ["192.168.0.0", "192.168.0.1", "192.168.0.255", "192.168.0.254", "192.168.0.0/25", "192.168.0.0/24",
                     "192.168.0.1/32", "192.168.0.1/31", "192.168.1.0", "2001:db8::", "2001:db8::1", "2001:db8::/65", "foo"]:
            cases.append(dict(call="network_in_usable", args=[value, test], **run(fu, [value, test], {})))
            cases.append(dict(call="network_in_network", args=[value, test], **run(fnn, [value, test], {})))
    fc = plugin(cidr_merge, "cidr_merge")
    for value in [
        ["192.168.0.0/17", "192.168.128.0/17", "192.168.128.1"],
        ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/25", "10.0.3.128/25", "2001:db8::/64", "2001:db8:0:1::/64", "10.0.5.7"],
        ["1.2.3.4", "1.2.3.5", "1.2.3.6", "1.2.3.7", "1.2.3.9"],
        ["192.168.1.5/24"], [], ["10.0.0.0/8", "10.1.0.0/16"], ["0.0.0.0/1", "128.0.0.0/1"],
    ]:
        for action in ["merge", "span"]:
            cases.append(dict(call="cidr_merge", args=[value, action], **run(fc, [value, action], {})))
    fh = plugin(ip4_hex, "ip4_hex")
    for value in ["192.168.1.5", "10.0.0.255", "0.0.0.0"]:
        for d in ["", ":", "."]:
            cases.append(dict(call="ip4_hex", args=[value, d], **run(fh, [value, d], {})))
    fhw = plugin(hwaddr, "hwaddr")
    fmac = plugin(macaddr, "macaddr")
    for value in ["1a:2b:3c:4d:5e:6f", "1a-2b-3c-4d-5e-6f", "1a2b.3c4d.5e6f", "1A:2B:3C:4D:5E:6F", "1a2b3c4d5e6f", "a:b:c:d:e:f", "foo"]:
        for q in ["", "bare", "bool", "int", "cisco", "eui48", "linux", "pgsql", "postgresql", "psql", "unix", "win"]:
            cases.append(dict(call="hwaddr", args=[value, q], **run(fhw, [value, q], {})))
        cases.append(dict(call="macaddr", args=[value, "cisco"], **run(fmac, [value, "cisco"], {})))
    fr = plugin(reduce_on_network, "reduce_on_network")
    addrs = ["192.168.0.34", "10.3.0.3", "192.168.2.34", "192.168.0.0/26", "192.168.0.0/23", "2001:db8::1", "foo"]
    for net in ["192.168.0.0/24", "192.168.0.0/16", "10.0.0.0/8", "2001:db8::/64", "192.168.0.34"]:
        cases.append(dict(call="reduce_on_network", args=[addrs, net], **run(fr, [addrs, net], {})))
    fsl = plugin(slaac, "slaac")
    for value in ["fdcf:1894:23b5:d38c:0000:0000:0000:0000/64", "2001:db8::/64", "2001:db8::5/64", "2001:db8:1:2::/56", "10.0.0.0/24", "foo"]:
        for mac in ["c2:31:b3:83:bf:2b", "02:00:00:00:00:01", "1a2b.3c4d.5e6f", "", "bad"]:
            cases.append(dict(call="slaac", args=[value, mac], **run(fsl, [value, mac], {})))
    # ip tests
    tests = {
        "ip": test_plugin(t_ip, "ip"), "ip_address": test_plugin(ip_address, "ip_address"),
        "ipv4": test_plugin(t_ipv4, "ipv4"), "ipv4_address": test_plugin(ipv4_address, "ipv4_address"),
        "ipv6": test_plugin(t_ipv6, "ipv6"), "ipv6_address": test_plugin(ipv6_address, "ipv6_address"),
        "private": test_plugin(t_private, "private"), "public": test_plugin(t_public, "public"),
        "loopback": test_plugin(t_loopback, "loopback"), "multicast": test_plugin(t_multicast, "multicast"),
    }
    for name, t in tests.items():
        for value in random_ip_values() + [s.split("/")[0] for s in random_ip_values()] + ["192.0.0.9", "192.0.0.170", "100.64.0.1", "::ffff:10.0.0.1", "::ffff:8.8.8.8", "2001:4:112::1", "64:ff9b:1::1", "fe80::1%eth0", "1:2:3:4:5:6:7::", 167772161, "010.0.0.1", "10.0.0.0/255.0.0.0", "10.0.0.0/0.255.255.255"]:
            cases.append(dict(call="test:" + name, args=[value], **run(t, [value], {})))
        for value in ["10.1.1.1", "10.0.0.0/8", "8.8.8.8", "127.0.0.1", "224.0.0.1", "2001:db8::1", "fe80::1", "::1", "ff02::1",
                      "2001:db8::/32", "fd00::1", "foo", "300.1.1.1", "192.168.1.5/24"]:
            cases.append(dict(call="test:" + name, args=[value], **run(t, [value], {})))
    t_in = test_plugin(in_network, "in_network")
    t_any = test_plugin(in_any_network, "in_any_network")
    t_one = test_plugin(in_one_network, "in_one_network")
    t_sub, t_sup = test_plugin(subnet_of, "subnet_of"), test_plugin(supernet_of, "supernet_of")
    for value in ["10.1.1.1", "10.1.1.0/24", "192.168.1.1", "2001:db8::1"]:
        for net in ["10.0.0.0/8", "10.1.1.0/24", "10.1.1.1/32", "192.168.0.0/16", "2001:db8::/32"]:
            cases.append(dict(call="test:in_network", args=[value, net], **run(t_in, [value, net], {})))
            cases.append(dict(call="test:subnet_of", args=[value, net], **run(t_sub, [value, net], {})))
            cases.append(dict(call="test:supernet_of", args=[net, value], **run(t_sup, [net, value], {})))
        for nets2 in [["10.0.0.0/8", "192.168.0.0/16"], ["10.0.0.0/8", "10.1.0.0/16"], ["172.16.0.0/12"]]:
            cases.append(dict(call="test:in_any_network", args=[value, nets2], **run(t_any, [value, nets2], {})))
            cases.append(dict(call="test:in_one_network", args=[value, nets2], **run(t_one, [value, nets2], {})))
    return cases


NESTED = {
    "hostname": "edge-rtr-01",
    "enabled": True,
    "disabled": False,
    "nothing": None,
    "count": 42,
    "ratio": 1.5,
    "whole": {"$float": 2.0},
    "big": 1e20,
    "tiny": 1e-7,
    "negative": -17,
    "empty_dict": {},
    "empty_list": [],
    "empty_string": "",
    "description": "This is a very long description of the interface that goes well beyond eighty columns so it must fold",
    "unicode": "caf\u00e9 \u00fc \u65e5\u672c \U0001F600 \u00a0nbsp",
    "quotes": "it's a \"quoted\" value",
    "colon": "key: value",
    "hash": "a #comment",
    "leading": " leading space",
    "trailing": "trailing space ",
    "multiline": "line one\nline two\n",
    "tab": "a\tb",
    "control": "bell\x07 esc\x1b nul\x00",
    "seps": "\u2028 and \x85 and \ufeff",
    "looks": ["yes", "no", "on", "off", "true", "True", "1.0", "010", "0x1F", "1:30", "2024-01-01", "~", "null", "=", "<<", "-", "- x", "?", ": x", "@at", "`tick", "%pct", "!bang", "&amp", "*star", "|pipe", ">gt", "1e5", ".5", "+1", "0b101", "---", "...x", "a,b", "[x]", "{y}"],
    "interfaces": [
        {"name": "GigabitEthernet0/1", "ip": "10.0.0.1/24", "vlans": [10, 20, 30], "shutdown": False},
        {"name": "GigabitEthernet0/2", "ip": None, "vlans": [], "acl": {"in": "ACL-IN", "out": "ACL-OUT"}},
    ],
    "nested_lists": [[1, 2], [3, [4, 5]], [], [{}]],
    "very_long_key_" + "k" * 120: "value",
    "Zed": 1,
    "alpha": 2,
    "_under": 3,
    "a long string without any spaces " + "x" * 100: "short",
    "wrapped": " ".join(["word%d" % i for i in range(40)]),
    "wrapped_quoted": "'" + " ".join(["word%d" % i for i in range(40)]),
    "wrapped_double": "\t" + " ".join(["word%d" % i for i in range(40)]),
}

SERIAL_VALUES = [
    NESTED, [], {}, "plain", "yes", "", None, True, 3, {"$float": 3.0}, 2.5, [1, "two", None, {"a": [1, 2]}],
    ["a", "b"], {"k": ["x", "y"]}, {"outer": {"inner": {"deep": ["v"]}}}, "multi\nline", "x" * 200,
    [[["deep"]]], {"list_of_dicts": [{"a": 1, "b": [1, 2]}, {"c": {"d": None}}]},
]


import jinja2  # noqa: E402

JINJA_ENV = jinja2.Environment()


def builtin_suite():
    cases = []
    F = dict(fcore.FilterModule().filters())
    F.update(fmath.FilterModule().filters())
    T = dict(tcore.TestModule().tests())
    T.update(tmath.TestModule().tests())

    def add(name, args, kwargs=None, fn=None):
        fn = fn or F[name]
        cases.append(dict(call=name, args=encode(decode(args)), kwargs=encode(decode(kwargs or {})), **run(fn, args, kwargs or {})))

    def add_test(name, args, kwargs=None):
        cases.append(dict(call="test:" + name, args=encode(decode(args)), kwargs=encode(decode(kwargs or {})), **run(T[name], args, kwargs or {})))

    for v in SERIAL_VALUES:
        add("to_json", [v])
        add("to_nice_json", [v])
        add("to_yaml", [v])
        add("to_nice_yaml", [v])
    add("to_nice_json", [NESTED], {"indent": 2, "sort_keys": False})
    add("to_json", [NESTED], {"sort_keys": True})
    add("to_json", [NESTED], {"ensure_ascii": False})
    add("to_json", [NESTED], {"indent": 2})
    add("to_yaml", [NESTED], {"default_flow_style": False})
    add("to_yaml", [NESTED], {"default_flow_style": True})
    add("to_yaml", [NESTED], {"width": 40})
    add("to_nice_yaml", [NESTED], {"indent": 2})
    add("to_nice_yaml", [NESTED], {"width": 1000})
    for text in ['{"a": 1, "b": [1, 2.0, null, true], "c": {"d": "e"}}', "[1, 2, 3]", '"str"', "{bad json"]:
        add("from_json", [text], fn=json.loads)
    for text in ["a: 1\nb: [1, 2.0, null, yes, on, 0o17, 017]\nc:\n  d: e\n", "- x\n- y: z\n", "plain", "key: 'quoted'\nother: \"dq\\tx\"\n", "a: [unclosed"]:
        add("from_yaml", [text])
    # regex filters
    text = "interface Gi0/1\n description Uplink to CORE\n ip address 10.0.0.1 255.255.255.0\ninterface Gi0/2\n shutdown\n"
    for pat, repl, kw in [
        ("Gi(\\d+)/(\\d+)", "GigabitEthernet\\1/\\2", {}),
        ("(?P<kind>Gi)(?P<num>\\d+/\\d+)", "\\g<num>-\\g<kind>", {}),
        ("^ ", "  ", {"multiline": True}),
        ("^interface", "int", {}),
        ("$", ";", {}),
        ("$", ";", {"multiline": True}),
        ("uplink", "DOWNLINK", {"ignorecase": True}),
        ("(?i)UPLINK", "x\\ty", {}),
        ("(?s)description.*shutdown", "<cut>", {}),
        ("description.*", "<d>", {}),
        ("\\Ainterface", "A", {}),
        ("\\n\\Z", "<END>", {}),
        ("x*", "-", {}),
        ("(a)|(b)", "[\\1\\2]", {}),
        ("\\s+", " ", {}),
        ("[.]", "!", {}),
        ("\\d{1,3}", "N", {}),
        ("o{,2}", "0", {}),
    ]:
        add("regex_replace", [text if pat not in ("x*", "(a)|(b)") else "abcab", pat, repl], kw)
    for pat, args, kw in [
        ("ip address (\\S+) (\\S+)", [], {}),
        ("ip address (\\S+) (\\S+)", ["\\1", "\\2"], {}),
        ("ip address (?P<ip>\\S+) (?P<mask>\\S+)", ["\\g<mask>", "\\g<ip>"], {}),
        ("DESCRIPTION (.*)", ["\\1"], {"ignorecase": True}),
        ("^ shutdown$", [], {"multiline": True}),
        ("^ shutdown$", [], {}),
        ("nomatch", [], {}),
        ("(Gi)(x)?", ["\\2"], {}),
    ]:
        add("regex_search", [text, pat] + args, kw)
    for pat, kw in [("Gi\\d+/\\d+", {}), ("(Gi)(\\d+)/(\\d+)", {}), ("interface (\\S+)", {}), ("^ (\\w+)", {"multiline": True}), ("SHUT", {"ignorecase": True}), ("(a)?b", {})]:
        add("regex_findall", [text if pat != "(a)?b" else "ab b", pat], kw)
    for v in ["10.0.0.1", "a+b*c?(d)[e]{f}|g^h$i\\j k\tl#m&n~o-p", "plain_text", "caf\u00e9"]:
        add("regex_escape", [v])
    add("regex_escape", ["a.b[c]*^$\\d"], {"re_type": "posix_basic"})
    # regex tests
    for value, pat, kw in [
        ("GigabitEthernet0/1", "Gig", {}), ("GigabitEthernet0/1", "Ethernet", {}), ("GigabitEthernet0/1", "gig", {"ignorecase": True}),
        ("line1\nline2", "^line2", {}), ("line1\nline2", "^line2", {"multiline": True}), ("abc", "abc$", {}), ("abc\n", "abc$", {}),
        ("16.9.3", "^\\d+\\.\\d+", {}), ("", "", {}), ("x", "(?P<n>x)(?P=n)?", {}),
    ]:
        add_test("match", [value, pat], kw)
        add_test("search", [value, pat], kw)
        add_test("regex", [value, pat], kw)
    add_test("regex", ["abc", "b"], {"match_type": "match"})
    add_test("regex", ["abc", "abc"], {"match_type": "fullmatch"})
    add_test("regex", ["abcd", "abc"], {"match_type": "fullmatch"})
    # version
    for a, b in [("16.9", "16.9"), ("16.9.3", "16.9"), ("15.2(4)M", "15.2"), ("16.10", "16.9"), ("1.0", "1.0.0"), ("2.0a1", "2.0"), ("7.0.3", "7.0.12"), ("1.2.3-beta", "1.2.3"), ("1.0", "1.a")]:
        for op in ["==", "=", "eq", "<", "lt", "<=", "le", ">", "gt", ">=", "ge", "!=", "<>", "ne"]:
            add_test("version", [a, b, op])
        add_test("version_compare", [a, b], {"operator": ">="})
        add_test("version", [a, b, ">="], {"strict": True})
        add_test("version", [a, b, "<"], {"version_type": "semver"})
        add_test("version", [a, b, "<"], {"version_type": "loose"})
    add_test("version", ["1.0.0-alpha", "1.0.0-alpha.1", "<"], {"version_type": "semver"})
    add_test("version", ["1.0.0-alpha.beta", "1.0.0-beta", "<"], {"version_type": "semver"})
    add_test("version", ["1.0.0-2", "1.0.0-10", "<"], {"version_type": "semver"})
    add_test("version", ["1.0.0-rc.1", "1.0.0", "<"], {"version_type": "semantic"})
    add_test("version", ["1.0", "1.0", "=~"])
    add_test("version", ["", "1.0", "=="])
    add_test("version", ["1.0", "1.0", "=="], {"version_type": "bogus"})
    # set and misc tests
    for a, b in [([1, 2], [1, 2, 3]), ([1, 4], [1, 2, 3]), ([], [1]), (["a"], ["a", "b"])]:
        add_test("subset", [a, b])
        add_test("superset", [b, a])
    add_test("contains", [[1, 2, 3], 2])
    add_test("contains", [["a", "b"], "c"])
    add_test("any", [[0, "", None, 1]])
    add_test("any", [[0, "", None]])
    add_test("all", [[1, "x", [1]]])
    add_test("all", [[1, ""]])
    for v in ["yes", "no", "off", "", "0", 0, 1, [], [0], "false", "True"]:
        add_test("truthy", [v])
        add_test("truthy", [v], {"convert_bool": True})
        add_test("falsy", [v], {"convert_bool": True})
    # misc filters
    base = {"a": 1, "b": {"x": 1, "y": [1, 2]}, "l": [1, 2, 3]}
    over = {"b": {"y": [2, 3], "z": 9}, "l": [3, 4], "n": None}
    add("combine", [base, over])
    add("combine", [base, over], {"recursive": True})
    for lm in ["replace", "keep", "append", "prepend", "append_rp", "prepend_rp"]:
        add("combine", [base, over], {"recursive": True, "list_merge": lm})
    add("combine", [[base, over, {"a": 5}]])
    add("combine", [{}])
    add("combine", [base, over], {"bogus": 1})
    for v, args, kw in [(True, ["yes", "no"], {}), (False, ["yes", "no"], {}), (None, ["yes", "no"], {}), (None, ["yes", "no", "null"], {}), ("", ["a", "b"], {}), ([], ["a", "b"], {"none_val": "n"})]:
        add("ternary", [v] + args, kw)
    add("dict2items", [{"eth0": "up", "eth1": "down"}])
    add("dict2items", [{"eth0": "up"}], {"key_name": "name", "value_name": "state"})
    add("dict2items", [[1, 2]])
    add("items2dict", [[{"key": "a", "value": 1}, {"key": "b", "value": 2}]])
    add("items2dict", [[{"name": "a", "state": 1}]], {"key_name": "name", "value_name": "state"})
    add("items2dict", [[{"k": "a"}]])
    for v in ["yes", "on", "1", "true", "True", 1, "no", "off", 0, "0", None, True, False, "foo", {"$float": 1.0}]:
        add("bool", [v])
    nested = [1, [2, [3, [4, None]]], None, "None", "null", [], [[["x"]]]]
    add("flatten", [nested])
    add("flatten", [nested], {"levels": 1})
    add("flatten", [nested], {"levels": 2})
    add("flatten", [nested], {"skip_nulls": False})
    data = {"devices": [{"name": "r1", "site": "a", "ports": [1, 2]}, {"name": "r2", "site": "b", "ports": [3]}, {"name": "sw1", "site": "a", "ports": []}]}
    jq = __import__("ansible_collections.community.general.plugins.filter.json_query", fromlist=["x"]).FilterModule().filters()["json_query"] if _has_community() else None
    if jq:
        for expr in ["devices[*].name", "devices[?site=='a'].name", "devices[0]", "length(devices)", "devices[].ports[]", "{names: devices[*].name}", "devices[?name=='zz']", "devices[?contains(name, 'r')].site"]:
            add("json_query", [data, expr], fn=jq)
    for v in ["hello", "caf\u00e9", "", "line\nbreak"]:
        add("b64encode", [v])
        for h in ["sha1", "md5", "sha256", "sha512"]:
            add("hash", [v, h])
        add("hash", [v])
        add("checksum", [v])
    add("b64decode", ["aGVsbG8="])
    add("b64decode", ["Y2Fmw6k="])
    add("password_hash", ["secret", "md5", "saltsalt"])
    add("password_hash", ["secret", "md5", "abc"])
    add("password_hash", ["secret", "sha512", "mysecretsalt"], {"rounds": 5000})
    add("password_hash", ["secret", "sha512", "mysecretsalt"])
    add("password_hash", ["secret", "sha256", "salt1234"], {"rounds": 10000})
    for v in ["simple", "with space", "it's", "", None, "a$b", "--opt=val"]:
        add("quote", [v])
    for v in ["s", 1, 1.5, True, None, [1], {"a": 1}]:
        add("type_debug", [v])
    add("mandatory", ["value"])
    add("to_yaml", [{"k": [1, 2], "t": [3, 4]}])
    for a, b in [([1, 2, 2, 3], [2, 3, 4]), (["a", "b"], ["B", "a"]), ([{"x": 1}, {"y": 2}], [{"x": 1}]), ([], [1]), ([1, 1.0, True], [2])]:
        for name in ["union", "intersect", "difference", "symmetric_difference"]:
            add(name, [a, b], fn=(lambda f: lambda *x: f(JINJA_ENV, *x))(F[name]))
    lst = lambda f: (lambda *a, **k: [list(t) if isinstance(t, tuple) else t for t in f(*a, **k)])
    add("zip", [[1, 2, 3], ["a", "b"]], fn=lst(F["zip"]))
    add("zip", [[1, 2], ["a", "b"], [True, False]], fn=lst(F["zip"]))
    add("zip_longest", [[1, 2, 3], ["a"]], fn=lst(F["zip_longest"]))
    add("zip_longest", [[1, 2, 3], ["a"]], {"fillvalue": "-"}, fn=lst(F["zip_longest"]))
    add("product", [[1, 2], ["a", "b"]], fn=lst(F["product"]))
    add("permutations", [[1, 2, 3]], fn=lst(F["permutations"]))
    add("permutations", [[1, 2, 3], 2], fn=lst(F["permutations"]))
    add("combinations", [[1, 2, 3, 4], 2], fn=lst(F["combinations"]))
    for args in [[100], [100, 10], [8, 2], [1], [{"$float": 2.0}, 2]]:
        add("log", args)
    for args in [[2, 10], [2, 0.5], [{"$float": 9.0}, 2]]:
        add("pow", args)
    for args in [[16], [27, 3], [2], [-1]]:
        add("root", args)
    users = [{"name": "alice", "groups": ["wheel", "net"], "keys": {"ssh": ["k1"]}}, {"name": "bob", "groups": [], "keys": {}}]
    add("subelements", [users, "groups"], fn=lst(F["subelements"]))
    add("subelements", [users, "keys.ssh"], {"skip_missing": True}, fn=lst(F["subelements"]))
    add("subelements", [users, "keys.ssh"], fn=lst(F["subelements"]))
    add("subelements", [{"a": {"n": [1, 2]}}, "n"], fn=lst(F["subelements"]))
    for p in ["/etc/ansible/hosts", "hosts", "/etc/", "/", "a/b.tar.gz", ".bashrc", "dir.d/file", "//x//y", "a/.b.c", "..."]:
        add("basename", [p])
        add("dirname", [p])
        add("splitext", [p], fn=lambda x: list(F["splitext"](x)))
    for v, ns in [("router1", None), ("", None), ("caf\u00e9", None), ("x", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), ("x", "{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}"), ("x", "bad")]:
        add("to_uuid", [v] + ([ns] if ns else []))
    ext = (lambda f: lambda *x, **k: f(JINJA_ENV, *x, **k))(F["extract"])
    add("extract", [1, ["a", "b", "c"]], fn=ext)
    add("extract", ["r1", {"r1": {"ip": "10.0.0.1"}}], fn=ext)
    add("extract", ["r1", {"r1": {"ip": "10.0.0.1"}}, "ip"], fn=ext)
    add("extract", ["r1", {"r1": {"ip": ["a", "b"]}}, ["ip", 1]], fn=ext)
    for parts in [["/etc", "ansible", "hosts"], ["a", "/b", "c"], ["a/", "b"], ["", "x"], "single"]:
        add("path_join", [parts])
    edge = {
        "k\u00e9y \u65e5\u672c " + "\u00e9" * 60: "two-byte key over 128 bytes",
        "x" * 127: "127 chars", "y" * 128: "128 chars", "z" * 129: "129 chars",
        "": "empty key", "multi\nline key": 1, "spaces   inside": "  ", "   ": "only spaces",
        "list_of_lists": [[], [[]], [{}, {"a": []}], ["multi\nline", "x: y", "#hash"]],
        "mixed": [None, True, 1, 1.5, "1.5", {"n": None}],
        "long_words": "a" * 90 + " " + "b" * 90,
        "long_quoted": "'" + "word " * 30,
        "long_double": "tab\t" + "word " * 30 + "end",
        "double_spaces": "word  " * 30,
        "url": "http://example.com/path?a=1&b=2#frag",
        "colon_end": "trailing colon:",
        "dash": "- item",
        "question": "? what",
        "bang": "!tag",
        "percent": "%x",
        "numbers_as_text": ["1", "1.0", "-1", "+1", "1e3", "0o7", "0b1", "1_000", ".inf", "-.inf", ".nan", "12:30:45"],
        "dates": ["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5"],
    }
    for fn in ["to_json", "to_nice_json", "to_yaml", "to_nice_yaml"]:
        add(fn, [edge])
    add("to_nice_yaml", [edge], {"width": 30, "indent": 3})
    add("to_yaml", [edge], {"width": 50})
    add("to_nice_yaml", [{"a": {"b": {"c": {"d": [{"e": [1, {"f": "g"}]}]}}}}])
    for doc in random_documents(RANDOM_DOCS):
        add("to_yaml", [doc])
        add("to_nice_yaml", [doc])
        add("to_nice_json", [doc])
        add("to_json", [doc])
    add("to_nice_yaml", [[{"a": 1, "b": [{"c": 2}]}, [1, [2, [3]]], "s"]])
    add("to_nice_yaml", [[[{"a": 1}]]], {"indent": 2})
    add("to_json", [{"a": float("inf"), "b": float("nan"), "c": -0.0, "d": 1e-5, "e": 123456789012345680.0, "f": 0.1}])
    add("to_yaml", [{"a": float("inf"), "b": float("nan"), "c": -0.0, "d": 1e-5, "e": 123456789012345680.0, "f": 0.1, "g": 1e16}])
    # regex translation
    corpus = "Router1#show ip int brief\nInterface  IP-Address  OK? Method Status  Protocol\nGi0/0  10.0.0.1  YES NVRAM up  up\nGi0/1  unassigned  YES unset  administratively down down\nLo0  1.1.1.1  YES manual up  up\n\u00e9t\u00e9 caf\u00e9\n"
    for pat in [
        "^(\\S+)\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)", "(?m)^(\\S+)\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)", "(?im)^gi\\S+", "down$", "(?m)down$", "up\\Z",
        "up\\n\\Z", "\\Aroute", "(?i)\\Arouter", "[^\\s]+#", "\\bup\\b", "(?x) Gi  \\d / \\d  # comment", "(?s)brief.Interface", "brief.Interface",
        "(?P<ifname>Lo\\d+)\\s+(?P<addr>\\S+)", "(\\w+)\\s+(?P<ip>\\d+(?:\\.\\d+){3})", "(a|b)?c", "[[]", "[]a]", "[^]a]", "\\d{2,}", "x{,3}y", "caf.", "\\w+\\s\\w+$",
        "(?P<w>\\w)(?P=w)", "(?<=Gi)\\d/\\d", "(?<!Gi)\\d/\\d", "YES(?= NVRAM)", "YES(?! NVRAM)", "\\x41|\\u00e9", "[\\d.]+", "\\.", "/", "\\/",
    ]:
        add("regex_findall", [corpus, pat])
        add("regex_search", [corpus, pat])
        add("regex_replace", [corpus, pat, "<\\g<0>>"])
        add_test("search", [corpus, pat])
        add_test("match", [corpus, pat])
    add("regex_replace", [corpus, "(\\S+)\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)", "\\2 on \\1"])
    add("regex_replace", [corpus, "(?P<n>Gi)(?P<rest>\\d/\\d)", "\\g<rest>@\\g<n>\\\\"])
    add("regex_replace", ["a.b.c", "\\.", "\\n"])
    add("regex_replace", ["aaa", "a", "\\10"])
    add("regex_replace", ["abc", "(b)", "[\\1\\1]"])
    add("regex_replace", ["abc", "", "-"])
    add("regex_replace", ["abc", "b*", "-"])
    add("regex_replace", ["abc", "(x)?b", "[\\1]"])
    for v in ["one line", "line one\nline two", "", "trailing\n"]:
        add("comment", [v])
        for style in ["erlang", "c", "cblock", "xml"]:
            add("comment", [v, style])
        add("comment", [v], {"decoration": "! ", "prefix_count": 2, "postfix_count": 0})
        add("comment", [v, "plain"], {"prefix": "#####", "end": "# end", "beginning": "# begin"})
    return cases


def random_documents(count):
    """Seeded random nested data with awkward strings, for the YAML and JSON printers."""
    import random
    rnd = random.Random(7)
    alphabet = ["a", "b", "Z", "0", "9", " ", " ", "  ", ":", "-", "#", "'", '"', "\\", "\n", "\t", "{", "}", "[", "]", ",", "?", "!",
                "&", "*", "%", "@", "`", "|", ">", ".", "/", "=", "~", "\u00e9", "\u65e5", "\U0001F600", "\u00a0", "\x85", "\u2028", "\x07", "yes", "null", "1.5", "0x1"]

    def word():
        n = rnd.choice([0, 1, 2, 3, 5, 8, 20, 40])
        return "".join(rnd.choice(alphabet) for _ in range(n))

    def scalar():
        r = rnd.random()
        if r < 0.6:
            return word()
        if r < 0.7:
            return rnd.randint(-1000, 10 ** 6)
        if r < 0.8:
            return rnd.choice([True, False, None])
        return rnd.choice([0.5, -2.25, 1e-3, 3.0, 1e21])

    def node(depth):
        r = rnd.random()
        if depth > 3 or r < 0.4:
            return scalar()
        if r < 0.7:
            return [node(depth + 1) for _ in range(rnd.randint(0, 4))]
        # keys that read as integers would be reordered by JSON.parse in the test: keep them out
        return {(lambda k: k + "_" if k.isdigit() else k)(word() or "k"): node(depth + 1) for _ in range(rnd.randint(0, 4))}

    return [node(0) for _ in range(count)]


def _has_community():
    try:
        import ansible_collections.community.general.plugins.filter.json_query  # noqa: F401
        return True
    except ImportError:
        return False


SUITES = {"ip": ip_suite, "builtin": builtin_suite}


def main():
    check = "--check" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    os.makedirs(OUT, exist_ok=True)
    bad = []
    for name, build in SUITES.items():
        if only and name not in only:
            continue
        text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
        path = os.path.join(OUT, name + ".json")
        if check:
            old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if old != text:
                bad.append(path)
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
    if bad:
        sys.stderr.write("gen-filter-cases: out of date (re-run scripts/gen-filter-cases.py): %s\n" % ", ".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
