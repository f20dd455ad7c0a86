#!/usr/bin/env python3
"""A straightforward checker for the benchmark to beat: PyYAML with its C loader and the
standard library's ipaddress, sort-based, doing only the duplicate / overlap / containment
subset of ipam-lint's rules (duplicate-subnet, overlapping-subnets, duplicate-address,
overlapping-ranges, address-outside-subnet). TOML files are read with tomllib.

    python3 bench/baseline.py PLAN
"""

import bisect
import ipaddress
import os
import sys
import tomllib
from collections import defaultdict

import yaml

LOADER = yaml.CSafeLoader  # the C loader; fails loudly when PyYAML lacks libyaml


def files(root):
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name == "ipam-lint.toml":
                continue
            if name.endswith((".yaml", ".yml", ".toml")):
                yield os.path.join(directory, name)


def load(path):
    if path.endswith(".toml"):
        with open(path, "rb") as handle:
            return tomllib.load(handle) or {}
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=LOADER) or {}


def main(root):
    subnets = defaultdict(list)  # space -> [(first, last, cidr)]
    addresses = defaultdict(list)  # space -> [int]
    pools = defaultdict(list)  # space -> [(first, last)]
    declarations = 0
    for path in files(root):
        document = load(path)
        default_space = document.get("space", "fabric")
        for subnet in document.get("subnets") or []:
            network = ipaddress.ip_network(subnet["cidr"], strict=False)
            space = (subnet.get("space", default_space), network.version)
            subnets[space].append((int(network.network_address), int(network.broadcast_address), str(network)))
        for entry in document.get("ranges") or []:
            if entry.get("type", "static") != "reserved":
                start, end = ipaddress.ip_address(entry["start"]), ipaddress.ip_address(entry["end"])
                pools[(entry.get("space", default_space), start.version)].append((int(start), int(end)))
        for address in document.get("addresses") or []:
            ip = ipaddress.ip_address(address["ip"])
            addresses[(address.get("space", default_space), ip.version)].append(int(ip))
        declarations += sum(len(document.get(key) or []) for key in ("spaces", "networks", "blocks", "subnets", "ranges", "addresses"))

    findings = 0
    for space, spans in subnets.items():
        spans.sort()
        reach = -1
        for index, (first, last, _) in enumerate(spans):
            if index and spans[index - 1][:2] == (first, last):
                findings += 1  # duplicate-subnet
            elif first <= reach:
                findings += 1  # overlapping-subnets
            reach = max(reach, last)
    for space, spans in pools.items():
        spans.sort()
        reach = -1
        for first, last in spans:
            if first <= reach:
                findings += 1  # overlapping-ranges
            reach = max(reach, last)
    for space, ips in addresses.items():
        ips.sort()
        findings += sum(1 for a, b in zip(ips, ips[1:]) if a == b)  # duplicate-address
        spans = subnets.get(space, [])
        starts = [first for first, _, _ in spans]
        for ip in ips:
            index = bisect.bisect_right(starts, ip) - 1
            if index < 0 or spans[index][1] < ip:
                findings += 1  # address-outside-subnet
    print(f"{declarations} declarations, {findings} findings")


if __name__ == "__main__":
    main(sys.argv[1])
