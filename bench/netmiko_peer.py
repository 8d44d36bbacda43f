"""Peer benchmark: the same `show version` job with Netmiko (Debian's python3-netmiko) in a
20-thread pool. Reads a JSON list of devices on stdin, prints one JSON summary line.
A device may name its own "command" (the backup bench sends the running-config command), or a list
of "commands" (the first one's output is the one checked against "min_bytes"), and ask for
"enable_mode" first."""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler


def run_one(device):
    started = time.monotonic()
    try:
        conn = ConnectHandler(
            device_type=device["platform"],
            host=device["host"],
            port=device["port"],
            username=device["username"],
            password=device["password"],
            secret=device.get("enable", ""),
            timeout=20,
        )
        if device.get("enable_mode"):
            conn.enable()
        commands = device.get("commands") or [device.get("command", "show version")]
        output = conn.send_command(commands[0])
        if device.get("min_bytes") and len(output) < device["min_bytes"]:
            raise ValueError("short output: %d bytes" % len(output))
        for command in commands[1:]:
            conn.send_command(command)
        conn.disconnect()
        return True, time.monotonic() - started, ""
    except Exception as error:  # noqa: BLE001 - any failure counts as a lost device
        first_line = (str(error).strip().splitlines() or [""])[0]
        return False, time.monotonic() - started, device["name"] + " " + type(error).__name__ + ": " + first_line[:120]


def main():
    devices = json.load(sys.stdin)
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(run_one, devices))
    elapsed = time.monotonic() - started
    failures = [r[2] for r in results if not r[0]]
    print(json.dumps({
        "devices": len(devices),
        "ok": len(devices) - len(failures),
        "failed": len(failures),
        "seconds": elapsed,
        "failures": failures[:5],
    }))


if __name__ == "__main__":
    main()
